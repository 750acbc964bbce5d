#!/usr/bin/env bash
# Tries the composite GitHub Action (action.yml) outside GitHub: reads its
# steps, runs each `run:` step with bash as a runner does (the inputs, the
# step's `env:`, GITHUB_ACTION_PATH, GITHUB_OUTPUT, `if:` conditions, a
# failed step skipping the ones after it unless `always()`), in a scratch
# workspace per scenario, then checks the SARIF log, the outputs and
# whether the action failed, against what docs/ci.md promises.
#
# The upload step (github/codeql-action/upload-sarif) runs only on GitHub:
# it is not run here, and the script says so with what it would upload.
#
# The install step is `cargo install` (the release profile): here it is
# unoptimised, with its target directory kept in target/ci-install (shared
# with .ci/try-pre-commit.sh), so it compiles the dependencies once.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if ! python3 -c 'import yaml' >/dev/null 2>&1; then
  echo "installing PyYAML (pip install pyyaml)"
  python3 -m pip install --quiet pyyaml
fi

# shellcheck source=install-env.sh
source "$root/.ci/install-env.sh"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

python3 - "$root" "$scratch" <<'PY'
import json, os, re, shutil, subprocess, sys
import yaml

root, scratch = sys.argv[1], sys.argv[2]
with open(os.path.join(root, "action.yml"), encoding="utf-8") as f:
    action = yaml.safe_load(f)
assert action["runs"]["using"] == "composite", "action.yml is a composite action"
steps = action["runs"]["steps"]

# ---- the expressions action.yml uses ----------------------------------
TOKEN = re.compile(r"\s*(\|\||&&|==|!=|\(|\)|'(?:[^']|'')*'|[A-Za-z_][\w.-]*\(\)|[A-Za-z_][\w.-]*)")

def tokens(text):
    out, at = [], 0
    text = text.strip()
    while at < len(text):
        m = TOKEN.match(text, at)
        if not m:
            sys.exit(f"try-action: cannot read the expression `{text}` at `{text[at:]}`")
        out.append(m.group(1))
        at = m.end()
    return out

def evaluate(text, context):
    """An expression of the forms action.yml is kept to, as GitHub reads it."""
    items = tokens(text)
    pos = 0

    def peek():
        return items[pos] if pos < len(items) else None

    def take():
        nonlocal pos
        pos += 1
        return items[pos - 1]

    def atom():
        tok = take()
        if tok == "(":
            value = either()
            if take() != ")":
                sys.exit(f"try-action: unbalanced parentheses in `{text}`")
            return value
        if tok.startswith("'"):
            return tok[1:-1].replace("''", "'")
        if tok in ("always()", "success()", "failure()"):
            return {"always()": True, "success()": not context["failed"],
                    "failure()": context["failed"]}[tok]
        if tok in ("true", "false"):
            return tok == "true"
        parts = tok.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return context["inputs"].get(parts[1], "")
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return context["outputs"].get(parts[1], {}).get(parts[3], "")
        if tok == "github.action_path":
            return root
        sys.exit(f"try-action: `{tok}` in `{text}` is not an expression this script knows")

    def compare():
        left = atom()
        if peek() in ("==", "!="):
            op, right = take(), atom()
            same = str(left).lower() == str(right).lower()
            return same if op == "==" else not same
        return left

    def both():
        value = compare()
        while peek() == "&&":
            take()
            right = compare()
            value = value and right
        return value

    def either():
        value = both()
        while peek() == "||":
            take()
            right = both()
            value = value or right
        return value

    value = either()
    if pos != len(items):
        sys.exit(f"try-action: cannot read the expression `{text}`")
    return value

def substitute(value, context):
    if not isinstance(value, str):
        return value
    def one(m):
        result = evaluate(m.group(1), context)
        return "true" if result is True else "false" if result is False else str(result)
    return re.sub(r"\$\{\{(.*?)\}\}", one, value)

def condition(step, context):
    text = step.get("if")
    if text is None:
        return not context["failed"]
    text = str(text).strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    value = bool(evaluate(text, context))
    if not re.search(r"\b(always|failure|success)\(\)", text):
        value = value and not context["failed"]
    return value

def parse_outputs(path):
    outputs = {}
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            if "=" in line:
                name, value = line.split("=", 1)
                outputs[name] = value
    return outputs

# ---- one run of the action, as a workflow's `uses:` step --------------
install_root = os.path.join(scratch, "cargo-root")

def run_action(name, contracts, inputs):
    workspace = os.path.join(scratch, name)
    os.makedirs(workspace)
    for path, text in contracts.items():
        full = os.path.join(workspace, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
    given = {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()}
    for key in inputs:
        if key not in given:
            sys.exit(f"try-action: action.yml has no input `{key}`")
    given.update(inputs)
    context = {"inputs": given, "outputs": {}, "failed": False}
    path_entries = [os.path.join(install_root, "bin")]
    print(f"== scenario {name}: inputs {inputs or '(defaults)'}")
    for index, step in enumerate(steps):
        label = step.get("name") or step.get("id") or f"step {index + 1}"
        if not condition(step, context):
            print(f"   {label}: skipped (if: {step.get('if', 'success()')})")
            continue
        if "uses" in step:
            arguments = {k: substitute(v, context) for k, v in (step.get("with") or {}).items()}
            print(f"   {label}: not run here, it runs only on GitHub ({step['uses']} with {arguments})")
            context["uploaded"] = arguments
            continue
        if step.get("shell") != "bash":
            sys.exit(f"try-action: step `{label}` needs shell: bash")
        output_file = os.path.join(scratch, f"{name}-output-{index}")
        open(output_file, "w").close()
        env = dict(os.environ)
        env.update({k: str(substitute(v, context)) for k, v in (step.get("env") or {}).items()})
        env.update({
            "GITHUB_ACTION_PATH": root,
            "GITHUB_WORKSPACE": workspace,
            "GITHUB_OUTPUT": output_file,
            "RUNNER_TEMP": scratch,
            "CARGO_INSTALL_ROOT": install_root,
            "PATH": os.pathsep.join(path_entries + [os.environ["PATH"]]),
        })
        script = substitute(step["run"], context)
        # What a runner runs for `shell: bash`.
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                                cwd=workspace, env=env, capture_output=True, text=True)
        for line in (result.stdout + result.stderr).splitlines():
            if not re.match(r"\s*(Compiling|Checking|Downloaded|Downloading|Locking|Adding)\b", line):
                print(f"      {line}")
        if "id" in step:
            context["outputs"][step["id"]] = parse_outputs(output_file)
        print(f"   {label}: exit status {result.returncode}")
        if result.returncode != 0:
            context["failed"] = True
    outputs = {k: substitute(v.get("value", ""), context) for k, v in action.get("outputs", {}).items()}
    print(f"   the action {'failed' if context['failed'] else 'succeeded'}; outputs {outputs}")
    return context["failed"], outputs, workspace, context.get("uploaded")

problems = []

def expect(what, ok):
    if not ok:
        problems.append(what)
        print(f"   FAILED: {what}")

def sarif_results(workspace, name):
    path = os.path.join(workspace, name)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    expect("the SARIF log is SARIF 2.1.0", log.get("version") == "2.1.0")
    return [r["ruleId"] for run in log.get("runs", []) for r in run.get("results", [])]

CLEAN = "party openai\nasset api\naction host\nhosting: openai may host api\n"
WARNING = "party openai\nasset api\nasset weights\naction host\nhosting: openai may host api\n"
BROKEN = "party openai\nasset api\naction host\nhosting: openai may host api on azur\n"
with open(os.path.join(root, "examples/hlv204_licence.deal"), encoding="utf-8") as f:
    EXAMPLE = f.read()
portfolio = {"contracts/clean.deal": CLEAN, "contracts/team/broken.deal": BROKEN,
             "contracts/hlv204.deal": EXAMPLE, "elsewhere/warn.deal": WARNING}

failed, out, ws, uploaded = run_action("findings", portfolio, {"paths": "contracts"})
results = sarif_results(ws, "deal.sarif")
expect("deal.sarif is written", results is not None)
expect("the SARIF log holds the undeclared name", results is not None and "deal::unknown-name" in results)
expect("exit-code is 1", out.get("exit-code") == "1")
expect("the action fails on findings", failed)
expect("the upload step would upload deal.sarif", (uploaded or {}).get("sarif_file") == "deal.sarif")

failed, out, ws, _ = run_action("findings-tolerated", portfolio,
                                {"paths": "contracts", "fail-on-findings": "false", "jobs": "1",
                                 "sarif-file": "out/deal-1.sarif"})
expect("the action succeeds with fail-on-findings: false", not failed)
expect("exit-code is still 1", out.get("exit-code") == "1")
expect("sarif-file names the log", out.get("sarif-file") == "out/deal-1.sarif")
def sarif_without_base(path):
    """The log without `originalUriBaseIds`, which names each run's own
    workspace: the rest must not depend on where or how it ran."""
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    for run in log.get("runs", []):
        run.pop("originalUriBaseIds", None)
    return log

expect("the SARIF log is the same with jobs: 1",
       sarif_without_base(os.path.join(ws, "out/deal-1.sarif")) is not None
       and sarif_without_base(os.path.join(ws, "out/deal-1.sarif"))
       == sarif_without_base(os.path.join(scratch, "findings", "deal.sarif")))

failed, out, ws, _ = run_action("warnings", portfolio, {"paths": "contracts/clean.deal\nelsewhere"})
expect("a warning alone passes", not failed and out.get("exit-code") == "0")
expect("the warning is in the SARIF log", "deal::unused" in (sarif_results(ws, "deal.sarif") or []))

failed, out, ws, _ = run_action("warnings-denied", portfolio,
                                {"paths": "contracts/clean.deal elsewhere", "deny-warnings": "true"})
expect("deny-warnings fails on a warning", failed and out.get("exit-code") == "1")

failed, out, ws, uploaded = run_action("missing-path", portfolio,
                                       {"paths": "contracts/nowhere.deal", "fail-on-findings": "false",
                                        "upload": "false"})
expect("a missing path fails the action whatever fail-on-findings says",
       failed and out.get("exit-code") == "2")
expect("upload: false skips the upload", uploaded is None)

failed, out, ws, _ = run_action("no-paths", portfolio, {"paths": "  "})
expect("empty paths fail the action", failed)

if problems:
    print(f"try-action: FAILED: {len(problems)} expectation(s) not met")
    sys.exit(1)
print("try-action: the action's shell steps behave as documented (docs/ci.md); "
      "the upload to code scanning was not tried (it runs only on GitHub)")
PY
