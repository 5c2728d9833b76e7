"""The associate-membership terms. Change the version whenever the text in
``templates/network/terms.html`` changes: each application records the version accepted."""

TERMS_VERSION = "2026-01"
