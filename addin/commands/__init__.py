"""The command modules of `cmw`; each has register(subparsers) and sets args.run."""
from addin.commands import db, stores, submit, users

COMMANDS = (db, users, stores, submit)
