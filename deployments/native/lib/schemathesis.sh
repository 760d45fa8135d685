# Schemathesis: property-based tests of the API from its OpenAPI document (PyPI, in a venv of its own). A tool, not a
# server: it is installed (group `tools`), never started; test/integration/api-contract.test.ts runs it.

SCHEMATHESIS_DIR="$DIST/schemathesis-$SCHEMATHESIS_VERSION"

schemathesis_install() {
  [ -f "$SCHEMATHESIS_DIR/.installed" ] && return 0
  command -v python3 >/dev/null || fail "schemathesis: python3 is needed and it is not on PATH"
  rm -rf "$SCHEMATHESIS_DIR"
  run_install "schemathesis $SCHEMATHESIS_VERSION (PyPI, venv)" "$LOGS/install-schemathesis.log" \
    bash -c "python3 -m venv '$SCHEMATHESIS_DIR' && '$SCHEMATHESIS_DIR/bin/pip' install --quiet \
      'schemathesis==$SCHEMATHESIS_VERSION' && touch '$SCHEMATHESIS_DIR/.installed'"
}

schemathesis_path() { echo "$SCHEMATHESIS_DIR/bin/st"; }
