#!/usr/bin/env bash
# The regeneration step, run on main after every merge (.github/workflows/regenerate.yml) and
# by tests/test_generated.py: number the new cases in merge order, then rewrite every
# generated file from the YAML. Contributors never run it; their pull requests change YAML only.
set -euo pipefail
mlsd number
mlsd schema
mlsd render
mlsd validate --color never
