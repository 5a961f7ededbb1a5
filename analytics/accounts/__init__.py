"""Accounts, roles, sessions and the audit trail (issue 11).

- `roles`: the three roles, what each may do, `Actor` (who acts) and `require` (the check every
  data-changing function makes itself, so a hidden page is not the only guard).
- `passwords`: argon2id hashing, the password rule, generated passwords.
- `users`: the accounts in the store, login with lockout, the first admin.
- `sessions`: signed session cookies backed by a revocable session table.
- `audit`: the append-only audit trail.
- `web`: the login routes and the gate on Streamlit's ASGI app (`app.py`).

This package imports nothing at import time: `analytics.store` loads its `schema`.
"""
