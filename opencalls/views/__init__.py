"""Pages of open calls: the public calls and funded projects, the applicant portal, and the
call managers' tools. Every write goes through ``services``; every lookup of a confidential
object goes through a selector filtered for the user, so a guessed id gives 404.

One module per concept; ``urls.py`` routes to each module's views.
"""
