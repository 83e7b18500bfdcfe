#!/usr/bin/env python3
"""Attacks on an approval-ledger file, one subcommand per move an attacker makes.

    attack.py --ledger L --key K.pem STEP [options]

Each step writes straight into the SQLite file with the one key it is given (or none), the
way someone with write access to the file would, and prints a JSON line saying what it wrote.
`Tests/LedgerCLITests/VerifyAttackTests.swift` composes the steps into attacks on a fresh
`ledger demo`; see ledger_attack.py for the format code.

Steps that re-create honest history (`open`, and `vote`/`grant`/`execute` that follow the
rules) exist because `ledger request open` stamps the real clock, while the demo runs on a
simulated one: to let time pass (a deadline, an escalation delay) the tests write, at the
demo's time, exactly what the honest writer would have written. The control test
`attackerToolkitWritesEventsThatVerify` proves such events verify clean.
"""

import argparse
import datetime
import json
import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledger_attack as la  # noqa: E402


class NamedKey:
    """No private key at all: only the key id of --actor's registration, for rows that carry
    --random-signature (writing a row needs no key)."""

    def __init__(self, key_id):
        self.key_id = key_id

    def sign(self, digest):
        raise SystemExit("a step without --key needs --random-signature")


def key_for(args, ledger=None):
    if not args.key:
        if not (args.random_signature and args.actor and ledger is not None):
            raise SystemExit("this step needs --key (or --actor with --random-signature)")
        seq = ledger.registration_seq(args.actor)
        return NamedKey(ledger.event(seq)[1]["keyId"])
    key = la.Key.from_pem(args.key)
    if args.key_id:
        key.key_id = args.key_id  # sign with this private key, but name another key id
    return key


def time_for(ledger, args):
    """--time T, or --minutes M after the head's time, or the head's time."""
    _, _, head = ledger.head()
    if args.time:
        return args.time
    if args.minutes is not None:
        return la.add_minutes(head["time"], args.minutes)
    return head["time"]


def policy_content(ledger):
    events = ledger.events(type="policy.published")
    return events[-1][2]["content"]


def rule_of(ledger, request_id):
    return ledger.requests()[request_id]["policy"]["rule"]


def policy_rule(ledger, name):
    for rule in policy_content(ledger)["rules"]:
        if rule["name"] == name:
            return rule
    raise KeyError(name)


def common_forge_options(args):
    options = {"store_payload": not args.no_payload}
    if args.seq is not None:
        options["seq"] = args.seq
    if args.row_seq is not None:
        options["row_seq"] = args.row_seq
    if args.stream_version is not None:
        options["stream_version"] = args.stream_version
    if args.random_signature:
        options["signature"] = os.urandom(64)
    if args.actor:
        options["actor"] = args.actor
    return options


# ---------------------------------------------------------------------------------------------
# Steps

def step_open(ledger, args):
    """A request.opened copied from the demo's first request of rule --like, re-dated."""
    key = key_for(args, ledger)
    template = next(p for p in ledger.requests().values() if p["policy"]["rule"] == args.like)
    template_time = next(env["time"] for _, env, _ in ledger.events(type="request.opened", stream=template["requestId"]))
    time = time_for(ledger, args)
    payload = la.opened_like(template, template_time, args.stream_as or args.request, time)
    # As the writer does: record the policy in force, by its publication seq and stated hash.
    policy_seq, _, policy = ledger.events(type="policy.published")[-1]
    payload["policy"]["hash"], payload["policy"]["version"] = policy["hash"], policy_seq
    if args.stream_as:
        payload["requestId"] = args.request  # the payload names another request than its stream
    stream = args.stream_as or args.request
    out = ledger.forge(key, "request.opened", stream, payload, time=time, **common_forge_options(args))
    out["deadline"] = payload["deadline"]
    out["changeDigest"] = payload.get("changeDigest")
    return out


def step_comment(ledger, args):
    key = key_for(args, ledger)
    return ledger.forge(key, "request.commented", args.request, {"text": args.text}, time=time_for(ledger, args),
                        **common_forge_options(args))


def step_vote(ledger, args):
    key = key_for(args, ledger)
    payload = la.vote(args.decision, args.reason, ledger.stream_version(args.request))
    return ledger.forge(key, "vote.cast", args.request, payload, time=time_for(ledger, args), **common_forge_options(args))


def step_grant(ledger, args):
    key = key_for(args, ledger)
    time = time_for(ledger, args)
    rule_name = rule_of(ledger, args.request)
    rule = policy_rule(ledger, rule_name)
    approvers = args.approvers.split(",")
    if args.expires_at:
        expires_at = args.expires_at
    else:
        ttl = (rule.get("grant") or {}).get("ttl", "1h")
        expires_at = la.format_time(la.parse_time(time) + parse_duration(ttl))
    one_shot = not args.reusable
    change_digest = ledger.requests()[args.request].get("changeDigest")
    groups = args.groups or " and ".join(f"{g} ({a})" for g, a in zip(sorted(rule["require"]["groups"]), approvers))
    payload = la.grant(args.request, approvers, rule_name, expires_at, one_shot=one_shot, change_digest=change_digest,
                       group_text=groups)
    return ledger.forge(key, "request.granted", args.request, payload, time=time, **common_forge_options(args))


def step_deny(ledger, args):
    key = key_for(args, ledger)
    rule_name = rule_of(ledger, args.request)
    actor = ledger.identity_of(key.key_id)
    payload = {"automatic": False, "deniers": [actor],
               "explanation": f"denied under rule {rule_name}: 1 of 1 deny veto by {actor}", "rule": rule_name}
    return ledger.forge(key, "request.denied", args.request, payload, time=time_for(ledger, args),
                        **common_forge_options(args))


def step_expire(ledger, args):
    """A request.expired exactly as `ledger tick` writes it after the deadline."""
    key = key_for(args, ledger)
    request = ledger.requests()[args.request]
    rule_name = request["policy"]["rule"]
    ttl = policy_rule(ledger, rule_name)["ttl"]
    payload = {"explanation": f"expired: no decision by the deadline {request['deadline']} (rule {rule_name}, ttl {ttl})",
               "rule": rule_name}
    return ledger.forge(key, "request.expired", args.request, payload, time=time_for(ledger, args),
                        **common_forge_options(args))


def step_escalate(ledger, args):
    """A request.escalated copied from the demo's own escalation (step 1 of rule emergency)."""
    key = key_for(args, ledger)
    payload = ledger.events(type="request.escalated")[0][2]
    return ledger.forge(key, "request.escalated", args.request, payload, time=time_for(ledger, args),
                        **common_forge_options(args))


def step_execute(ledger, args):
    key = key_for(args, ledger)
    digest = args.change_digest or ledger.requests()[args.request].get("changeDigest")
    payload = la.execution(args.request, outcome=args.outcome, detail=args.detail, change_digest=digest)
    return ledger.forge(key, "execution.reported", args.request, payload, time=time_for(ledger, args),
                        **common_forge_options(args))


def step_reject(ledger, args):
    """A vote.rejected: the signer claims the rules refused its own vote (as the self-approval
    refusal of the demo is written)."""
    key = key_for(args, ledger)
    actor = args.actor or ledger.identity_of(key.key_id)
    payload = {"attempted": args.decision, "claimedIdentity": actor, "code": "not-eligible",
               "explanation": f"{actor} is not in a group rule {rule_of(ledger, args.request)} accepts", "reason": args.reason}
    return ledger.forge(key, "vote.rejected", args.request, payload, time=time_for(ledger, args),
                        **common_forge_options(args))


def step_reassign_rule(ledger, args):
    """Rewrite the stored request.opened payload of --request to name rule --rule (delete the
    payloads row, insert the edited one: no trigger stops either)."""
    seq, _, payload = ledger.events(type="request.opened", stream=args.request)[0]
    payload["policy"]["rule"] = args.rule
    ledger.delete_payload(seq)
    ledger.insert_payload(seq, la.jcs(payload))
    return {"seq": seq, "rule": args.rule}


def step_redact(ledger, args):
    """DELETE the payload row of --seq (or of the request.opened of --request)."""
    seq = args.seq
    if seq is None:
        seq = ledger.events(type="request.opened", stream=args.request)[0][0]
    ledger.delete_payload(seq)
    return {"redacted": seq}


def step_forge_redaction(ledger, args):
    """A payload.redacted record (FORMAT.md §Redaction record) in $redactions naming --target by
    its recomputed event hash (or --hash), signed with --key, then the target's payload row
    deleted (unless --keep-payload): an erasure made to look recorded."""
    key = key_for(args, ledger)
    envelope_row = ledger.db.execute("SELECT envelope FROM events WHERE seq = ?", (args.target,)).fetchone()
    event_hash = args.hash or la.event_hash(bytes(envelope_row[0])).hex()
    record = {"seq": args.target, "eventHash": event_hash, "reason": args.reason, "basis": "GDPR Art. 17(1)(a)"}
    out = ledger.forge(key, "payload.redacted", "$redactions", record, time=time_for(ledger, args), **common_forge_options(args))
    if not args.keep_payload:
        ledger.delete_payload(args.target)
    out["target"] = args.target
    return out


def step_delete_head(ledger, args):
    seq, _, _ = ledger.head()
    dropped = ledger.drop_triggers()
    ledger.delete_payload(seq)
    ledger.db.execute("DELETE FROM events WHERE seq = ?", (seq,))
    return {"deleted": seq, "droppedTriggers": dropped}


def step_orphan_payload(ledger, args):
    seq, _, _ = ledger.head()
    target = args.seq if args.seq is not None else seq + 1
    ledger.insert_payload(target, la.jcs({"text": "nothing signed this"}))
    return {"orphan": target}


def step_swap_registration(ledger, args):
    """Replace --identity's key.registered payload with one registering an attacker's key.

    With --same-key-id the payload keeps the old key id and swaps the public key; otherwise it
    names the attacker's own key id. Writes the attacker's private key to --out.
    """
    attacker = la.Key.generate()
    attacker.write_pem(args.out)
    seq = ledger.registration_seq(args.identity)
    _, old, _ = ledger.event(seq)
    payload = dict(old)
    payload["publicKey"] = attacker.public.hex()
    if not args.same_key_id:
        payload["keyId"] = attacker.key_id
    ledger.delete_payload(seq)
    ledger.insert_payload(seq, la.jcs(payload))
    return {"seq": seq, "keyId": payload["keyId"], "attackerKeyId": attacker.key_id, "out": args.out}


def step_edit_registration(ledger, args):
    """Replace --identity's key.registered payload with one granting --capabilities."""
    seq = ledger.registration_seq(args.identity)
    _, old, _ = ledger.event(seq)
    payload = dict(old)
    payload["capabilities"] = sorted(args.capabilities.split(","))
    ledger.delete_payload(seq)
    ledger.insert_payload(seq, la.jcs(payload))
    return {"seq": seq, "capabilities": payload["capabilities"]}


def step_publish_policy(ledger, args):
    """A policy.published that adds the signer to the sre group, so it may approve what one SRE may."""
    key = key_for(args, ledger)
    content = json.loads(json.dumps(policy_content(ledger)))
    actor = ledger.identity_of(key.key_id)
    content["groups"]["sre"] = sorted(set(content["groups"]["sre"]) | {actor})
    payload = {"content": content, "hash": la.sha256(la.jcs(content)).hex(), "name": content["name"]}
    return ledger.forge(key, "policy.published", "$policy", payload, time=time_for(ledger, args),
                        **common_forge_options(args))


def step_tamper_policy(ledger, args):
    """Rewrite the stored payload of the current policy.published so that --identity is a member
    of group --group, with a content hash that matches the new content (delete the payloads row,
    insert the edited one)."""
    seq, _, payload = ledger.events(type="policy.published")[-1]
    content = payload["content"]
    content["groups"][args.group] = sorted(set(content["groups"][args.group]) | {args.identity})
    payload["hash"] = la.sha256(la.jcs(content)).hex()
    ledger.delete_payload(seq)
    ledger.insert_payload(seq, la.jcs(payload))
    return {"seq": seq, "hash": payload["hash"]}


def step_rehash_envelope(ledger, args):
    """Make event --seq's envelope commit to its current payload row: a new payloadHash, the
    envelope re-encoded canonically and its hash column recomputed (triggers dropped). The old
    signature stays: the attacker cannot re-sign another key's event."""
    envelope, _, row = ledger.event(args.seq)
    payload = ledger.db.execute("SELECT bytes FROM payloads WHERE seq = ?", (args.seq,)).fetchone()[0]
    envelope["payloadHash"] = la.sha256(bytes(payload)).hex()
    envelope_bytes = la.jcs(envelope)
    dropped = ledger.drop_triggers()
    ledger.db.execute("UPDATE events SET envelope = ?, hash = ? WHERE seq = ?",
                      (envelope_bytes, la.event_hash(envelope_bytes), args.seq))
    return {"seq": args.seq, "hash": la.event_hash(envelope_bytes).hex(), "droppedTriggers": dropped}


def step_set_column(ledger, args):
    """UPDATE one column of the events row --seq (triggers dropped first)."""
    dropped = ledger.drop_triggers()
    ledger.db.execute(f"UPDATE events SET {args.column} = ? WHERE seq = ?", (args.value, args.seq))
    return {"seq": args.seq, "column": args.column, "value": args.value, "droppedTriggers": dropped}


def step_sql(ledger, args):
    """Raw SQL, for edits of cache tables (keys)."""
    ledger.db.execute(args.statement)
    return {"sql": args.statement, "changes": ledger.db.total_changes}


def step_whoami(ledger, args):
    key = key_for(args, ledger)
    return {"keyId": key.key_id, "identity": ledger.identity_of(key.key_id)}


def step_find(ledger, args):
    """The first event of --type (in --request's stream, when given)."""
    seq, envelope, _ = ledger.events(type=args.type, stream=args.request)[0]
    return {"seq": seq, "time": envelope["time"], "actor": envelope["actor"]}


def step_head(ledger, args):
    seq, digest, envelope = ledger.head()
    return {"seq": seq, "hash": digest, "time": envelope["time"], "rows": ledger.count()}


def parse_duration(text):
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    return datetime.timedelta(seconds=int(text[:-1]) * units[text[-1]])


STEPS = {
    "open": step_open, "comment": step_comment, "vote": step_vote, "grant": step_grant, "deny": step_deny,
    "expire": step_expire, "escalate": step_escalate, "execute": step_execute, "redact": step_redact,
    "forge-redaction": step_forge_redaction,
    "reject": step_reject, "tamper-policy": step_tamper_policy, "rehash-envelope": step_rehash_envelope, "reassign-rule": step_reassign_rule,
    "delete-head": step_delete_head, "orphan-payload": step_orphan_payload,
    "swap-registration": step_swap_registration, "edit-registration": step_edit_registration,
    "publish-policy": step_publish_policy, "set-column": step_set_column, "sql": step_sql, "head": step_head,
    "whoami": step_whoami, "find": step_find,
}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--ledger", required=True)
    parser.add_argument("--key", help="the attacker's private key (PEM PKCS#8)")
    parser.add_argument("--key-id", help="name this key id in the envelope instead of the key's own")
    parser.add_argument("--actor", help="the envelope's actor (default: the key's registered identity)")
    parser.add_argument("--request", help="the request id (stream)")
    parser.add_argument("--stream-as", help="open: write the event into this stream, naming --request in the payload")
    parser.add_argument("--like", default="prod-default", help="open: copy the demo request of this rule")
    parser.add_argument("--time", help="the event's time (default: the head's)")
    parser.add_argument("--minutes", type=float, help="the event's time, this many minutes after the head's")
    parser.add_argument("--seq", type=int, help="the row's seq (default: head + 1)")
    parser.add_argument("--row-seq", type=int, help="store the row at this seq, whatever the envelope says")
    parser.add_argument("--stream-version", type=int)
    parser.add_argument("--target", type=int, help="forge-redaction: the seq whose payload is erased")
    parser.add_argument("--hash", help="forge-redaction: the event hash the record names (default: the target's)")
    parser.add_argument("--keep-payload", action="store_true", help="forge-redaction: leave the payload row")
    parser.add_argument("--no-payload", action="store_true", help="write no payloads row (the envelope still commits to one)")
    parser.add_argument("--random-signature", action="store_true", help="64 random bytes instead of a signature")
    parser.add_argument("--text", default="ready to roll")
    parser.add_argument("--decision", default="approve")
    parser.add_argument("--reason", default="looks good")
    parser.add_argument("--approvers", default="bob")
    parser.add_argument("--groups", help="grant: the explanation's group text, e.g. 'sre (bob)'")
    parser.add_argument("--expires-at")
    parser.add_argument("--reusable", action="store_true")
    parser.add_argument("--outcome", default="succeeded")
    parser.add_argument("--detail", default="pipeline run 7001")
    parser.add_argument("--change-digest")
    parser.add_argument("--identity")
    parser.add_argument("--rule")
    parser.add_argument("--group")
    parser.add_argument("--type", help="find: the event type")
    parser.add_argument("--same-key-id", action="store_true")
    parser.add_argument("--capabilities")
    parser.add_argument("--out")
    parser.add_argument("--column")
    parser.add_argument("--value")
    parser.add_argument("--statement")
    args = parser.parse_args(argv)
    ledger = la.Ledger(args.ledger)
    try:
        result = STEPS[args.step](ledger, args)
    finally:
        ledger.close()
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
