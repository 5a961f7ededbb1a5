"""The command line `python -m analytics`, as spec/cli.md defines it."""
