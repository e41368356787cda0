"""The rule table: every rule of every family, by name. Adding a rule touches one family."""
RULES = {}
