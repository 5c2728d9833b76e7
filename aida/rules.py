"""Who may do what in AIDA. Pages, the API and the services all ask these permissions through
``ai4media_portal.core.permissions.can()``: an admin account holds no AIDA power unless a
rule names it, and nobody validates their own registration.
"""

import rules

from ai4media_portal.core.predicates import is_aida_coordinator, is_authenticated, is_own_case

from .predicates import (
    holds_enrolment,
    is_accepted_resource,
    is_lecturer,
    is_representative,
    is_submitter,
    represents_students_institution,
    supervises,
    teaches,
)

# Members, lecturers and the catalogue are public; coordinators keep the member list.
rules.add_perm("aida.view_catalogue", rules.always_allow)
rules.add_perm("aida.manage_members", is_aida_coordinator)
rules.add_perm("aida.manage_lecturers", is_aida_coordinator)

# Students: anyone signed in registers; the institution's representative or a coordinator
# validates or refuses, never their own registration; a supervising lecturer confirms.
rules.add_perm("aida.register_student", is_authenticated)
rules.add_perm("aida.view_student_queue", is_aida_coordinator | is_representative | is_lecturer)
rules.add_perm(
    "aida.validate_student",
    (is_aida_coordinator | represents_students_institution) & ~is_own_case,
)
rules.add_perm("aida.confirm_supervision", supervises & ~is_own_case)

# Courses and offerings: coordinators and the course's lecturers.
rules.add_perm("aida.add_course", is_aida_coordinator | is_lecturer)
rules.add_perm("aida.change_course", is_aida_coordinator | teaches)
rules.add_perm("aida.change_offering", is_aida_coordinator | teaches)

# Enrolment: anyone signed in asks (the eligibility selector says whether they may); the
# participant or a coordinator cancels; lecturers and coordinators see and mark the list.
rules.add_perm("aida.request_enrolment", is_authenticated)
rules.add_perm("aida.cancel_enrolment", holds_enrolment | is_aida_coordinator)
rules.add_perm("aida.view_roster", is_aida_coordinator | teaches)
rules.add_perm("aida.mark_enrolment", is_aida_coordinator | teaches)

# AI Excellence Lectures: coordinators keep the programme.
rules.add_perm("aida.manage_lectures", is_aida_coordinator)

# Educational resources: lecturers submit; the resource committee (AIDA coordinators) reviews,
# never their own submission.
rules.add_perm("aida.submit_resource", is_lecturer | is_aida_coordinator)
rules.add_perm("aida.resubmit_resource", is_submitter)
rules.add_perm("aida.review_resource", is_aida_coordinator & ~is_own_case)
rules.add_perm("aida.view_resource_queue", is_aida_coordinator)
# A resource's file, as its page: anyone once it is accepted (visitors too: see
# ``selectors.resource_with_file``); before, its submitter and the committee. Everyone else
# gets a 404, never learning that it exists.
rules.add_perm("aida.view_resource_file", is_accepted_resource | is_submitter | is_aida_coordinator)

# Certificates: the holder downloads theirs; coordinators revoke.
rules.add_perm("aida.revoke_certificate", is_aida_coordinator)
