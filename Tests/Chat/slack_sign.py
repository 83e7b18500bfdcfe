#!/usr/bin/env python3
"""Signs a request body as Slack does, with slack_sdk's own code: prints the
X-Slack-Signature for the body read from stdin, the secret file and the timestamp given."""
import sys

from slack_sdk.signature import SignatureVerifier

secret_file, timestamp = sys.argv[1], sys.argv[2]
secret = open(secret_file).read().strip()
body = sys.stdin.buffer.read().decode("utf-8")
print(SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body))
