"""What the open calls' pages share. The permission check, form errors and pages of a listing
are the core's (``ai4media_portal.core.web``)."""

PAGE_SIZE = 25
