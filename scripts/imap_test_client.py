#!/usr/bin/env python3
"""Puts messages into, and reads the state of, the test IMAP server of scripts/dovecot_test_server.sh.

A mail client's view, over IMAPS with the server's CA (DIR/ca.crt) and the user's password,
through Python's imaplib: what the tests use to deliver messages and to check, independently of
the code under test, where messages are and which flags they carry.

  imap_test_client.py DIR append FOLDER [FILE]   APPENDs FILE (default: stdin) to FOLDER,
                                                 creating FOLDER when missing; prints its UID
  imap_test_client.py DIR create FOLDER          creates FOLDER (no error when it exists)
  imap_test_client.py DIR delete FOLDER          deletes FOLDER and its messages
  imap_test_client.py DIR status FOLDER          prints "UIDVALIDITY MESSAGES"
  imap_test_client.py DIR flags FOLDER           prints "UID FLAG..." per message (EXAMINE,
                                                 so reading changes nothing)
  imap_test_client.py DIR size FOLDER UID        prints the message's RFC822.SIZE
  imap_test_client.py DIR fill FOLDER N          APPENDs N small messages to FOLDER in one
                                                 session (a large folder, quickly)

Folder names are ASCII here (imaplib sends them as given). Exits non-zero with the server's
answer on stderr when a command fails.
"""

import imaplib
import re
import ssl
import sys
from pathlib import Path


def fail(what, answer):
    sys.exit(f"imap_test_client: {what} failed: {answer!r}")


def quoted(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connect(server_dir):
    context = ssl.create_default_context(cafile=str(server_dir / "ca.crt"))
    port = int((server_dir / "port").read_text().strip())
    client = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=context, timeout=30)
    client.login((server_dir / "user").read_text().strip(),
                 (server_dir / "password").read_text().strip())
    return client


def create(client, folder):
    status, answer = client.create(quoted(folder))
    if status != "OK" and b"ALREADYEXISTS" not in b" ".join(a for a in answer if a):
        fail("CREATE", answer)


def delete(client, folder):
    status, answer = client.delete(quoted(folder))
    if status != "OK":
        fail("DELETE", answer)


def append(client, folder, message):
    create(client, folder)
    status, answer = client.append(quoted(folder), None, None, message)
    if status != "OK":
        fail("APPEND", answer)
    match = re.search(rb"\[APPENDUID \d+ (\d+)\]", answer[0] or b"")
    if not match:
        fail("APPENDUID", answer)
    print(match.group(1).decode())


def fill(client, folder, count):
    create(client, folder)
    for i in range(count):
        message = (f"From: filler@example.org\r\nSubject: filler {i}\r\n"
                   f"Message-ID: <filler-{i}@example.org>\r\n\r\nbody {i}\r\n").encode()
        status, answer = client.append(quoted(folder), None, None, message)
        if status != "OK":
            fail("APPEND", answer)


def select(client, folder):
    status, answer = client.select(quoted(folder), readonly=True)
    if status != "OK":
        fail("EXAMINE", answer)


def status(client, folder):
    state, answer = client.status(quoted(folder), "(UIDVALIDITY MESSAGES)")
    if state != "OK":
        fail("STATUS", answer)
    text = answer[0].decode()
    validity = re.search(r"UIDVALIDITY (\d+)", text).group(1)
    messages = re.search(r"MESSAGES (\d+)", text).group(1)
    print(validity, messages)


def flags(client, folder):
    select(client, folder)
    state, answer = client.uid("FETCH", "1:*", "(FLAGS)")
    if state != "OK":
        fail("FETCH", answer)
    for line in answer:
        if not line:
            continue
        text = line.decode()
        uid = re.search(r"UID (\d+)", text)
        names = re.search(r"FLAGS \(([^)]*)\)", text)
        # An unsolicited FETCH (another session changing flags meanwhile)
        # names no UID; the answer to this UID FETCH names one per message.
        if uid is None or names is None:
            continue
        print(" ".join([uid.group(1)] + names.group(1).split()))


def size(client, folder, uid):
    select(client, folder)
    state, answer = client.uid("FETCH", uid, "(RFC822.SIZE)")
    if state != "OK" or not answer or not answer[0]:
        fail("FETCH", answer)
    print(re.search(rb"RFC822\.SIZE (\d+)", answer[0]).group(1).decode())


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    server_dir, command, folder = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    client = connect(server_dir)
    try:
        if command == "append":
            source = sys.argv[4] if len(sys.argv) > 4 else None
            message = Path(source).read_bytes() if source else sys.stdin.buffer.read()
            append(client, folder, message)
        elif command == "create":
            create(client, folder)
        elif command == "delete":
            delete(client, folder)
        elif command == "status":
            status(client, folder)
        elif command == "flags":
            flags(client, folder)
        elif command == "fill" and len(sys.argv) > 4:
            fill(client, folder, int(sys.argv[4]))
        elif command == "size" and len(sys.argv) > 4:
            size(client, folder, sys.argv[4])
        else:
            sys.exit(__doc__)
    finally:
        client.logout()


if __name__ == "__main__":
    main()
