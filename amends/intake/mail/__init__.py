"""E-mail in: parse a raw message into a `Complaint` (parse.py) and poll IMAP mailboxes (imap.py)."""
