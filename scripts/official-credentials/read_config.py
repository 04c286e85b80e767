#!/usr/bin/env python3
"""Resolves profiles of one config.json with the official Python credentials library
(alibabacloud-credentials, pinned in requirements.txt) and prints what it got for each, as
JSON: the credentials (or the error), and the requests it made, normalized as resolve.py
records them. Its requests never leave the machine: resolve.py's fake answers them from
the canned answers of crates/alibabacloud-credentials/tests/official/cases.json.

    read_config.py CONFIG_JSON PROFILE [PROFILE ...]

crates/alibabacloud-cli/tests/configure_official.rs runs it on a config.json written by
`alicloud configure set`, to check that the official library reads each profile to the
identity it was configured with.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import resolve  # noqa: E402  (clears ALIBABA_CLOUD_* variables, installs nothing yet)


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path, profiles = sys.argv[1], sys.argv[2:]
    with open(resolve.CASES) as f:
        cases = json.load(f)
    with open(path) as f:
        text = f.read()
    sys.setrecursionlimit(200)
    out = {}
    for profile in profiles:
        # run_case writes the text to a scratch config.json and resolves `profile` there.
        out[profile] = resolve.run_case(
            cases, {"name": profile, "profile": profile, "config_text": text})
    print(json.dumps(out, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
