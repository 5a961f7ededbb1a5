"""What a user reads: domain wording as pure functions."""
