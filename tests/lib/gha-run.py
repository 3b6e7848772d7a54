#!/usr/bin/env python3
"""Runs a composite GitHub Action the way a GitHub runner would, offline, for tests/cli/t7100-github-action.sh.

Usage: gha-run.py ACTION_DIR [--with NAME=VALUE]... [--github KEY=VALUE]... [--cache-hit STEP_ID]...
                  --workspace DIR --temp DIR --outputs FILE --summary FILE [--trace FILE]

It reads ACTION_DIR/action.yml, evaluates the small part of the expression language composite
actions use (inputs, github, runner, steps.ID.outputs, string literals, ==, !=, &&, ||, !, success(),
always(), failure()), runs each `run:` step with the shell and environment a runner gives, and skips
`uses:` steps (actions/cache), whose `with:` it still evaluates and records in the trace; a step named
by --cache-hit reports cache-hit=true. At the end it writes the action's outputs as NAME=VALUE lines
to --outputs, the steps' summaries to --summary, what each step got to --trace (ID.state=ran|skipped,
ID.with.NAME=VALUE and ID.env.NAME=VALUE lines), and exits with the exit code of the failed step
else 0, and with 100 when
the action itself is wrong (a bad expression, an undeclared input).

It refuses an action whose `run:` text holds ${{ inputs.* }}, since GitHub would paste the input
into the script (script injection); inputs must reach the shell through env:.
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml


class ActionError(Exception):
    pass


# ---- expressions -------------------------------------------------------------------------------

TOKEN = re.compile(r"""\s*(?:
    (?P<str>'(?:[^']|'')*')
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op>==|!=|&&|\|\||!|\(|\)|,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\.\*)*)
)""", re.X)


def tokenize(text):
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ActionError("cannot parse expression %r at %r" % (text, text[pos:]))
        pos = m.end()
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
    return tokens


def truthy(value):
    return value not in (None, False, "", 0)


def as_text(value):
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def as_number(value):
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value.strip()) if value.strip() else 0.0
    except ValueError:
        return float("nan")


def loosely_equal(a, b):
    # As GitHub does: strings compare case-insensitively, and mixed types compare as numbers, so
    # true == 'true' is false (a common mistake with inputs, which are always strings).
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if a is None and b is None:
        return True
    return as_number(a) == as_number(b)


class Evaluator:
    def __init__(self, context):
        self.context = context  # {"inputs": {...}, "github": {...}, "runner": {...}, "steps": {...}}
        self.job_status = "success"

    def lookup(self, path):
        parts = path.split(".")
        if parts[0] in ("true", "false") and len(parts) == 1:
            return parts[0] == "true"
        if parts[0] == "null" and len(parts) == 1:
            return None
        if parts[0] not in self.context:
            raise ActionError("unknown context %r in %r" % (parts[0], path))
        value = self.context[parts[0]]
        for part in parts[1:]:
            if isinstance(value, dict):
                value = value.get(part)
            else:
                value = None
        return value

    def evaluate(self, text):
        self.tokens = tokenize(text)
        self.pos = 0
        value = self.parse_or()
        if self.pos != len(self.tokens):
            raise ActionError("unexpected %r in expression %r" % (self.tokens[self.pos][1], text))
        return value

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, op=None):
        tok = self.peek()
        if op is not None and tok != ("op", op):
            raise ActionError("expected %r in expression" % op)
        self.pos += 1
        return tok

    def parse_or(self):
        value = self.parse_and()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.parse_and()
            value = value if truthy(value) else right
        return value

    def parse_and(self):
        value = self.parse_compare()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.parse_compare()
            value = right if truthy(value) else value
        return value

    def parse_compare(self):
        value = self.parse_unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            op = self.take()[1]
            right = self.parse_unary()
            same = loosely_equal(value, right)
            value = same if op == "==" else not same
        return value

    def parse_unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.parse_unary())
        return self.parse_primary()

    def parse_primary(self):
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "op" and text == "(":
            value = self.parse_or()
            self.take(")")
            return value
        if kind == "name":
            if self.peek() == ("op", "("):
                return self.call(text)
            return self.lookup(text)
        raise ActionError("unexpected %r in expression" % text)

    def call(self, name):
        self.take("(")
        self.take(")")
        if name == "success":
            return self.job_status == "success"
        if name == "failure":
            return self.job_status == "failure"
        if name == "always":
            return True
        raise ActionError("function %s() is not supported by this runner" % name)

    def substitute(self, text):
        """A string with ${{ }} parts, evaluated as GitHub does for with:, env: and run:."""
        if not isinstance(text, str):
            return as_text(text)

        def one(m):
            return as_text(self.evaluate(m.group(1)))
        return re.sub(r"\$\{\{(.*?)\}\}", one, text, flags=re.S)

    def condition(self, text):
        if text is None:
            return self.job_status == "success"
        if isinstance(text, bool):
            return text
        text = str(text).strip()
        m = re.fullmatch(r"\$\{\{(.*)\}\}", text, flags=re.S)
        if m:
            text = m.group(1)
        # Without a status function GitHub adds success() in front.
        if not re.search(r"\b(success|failure|always|cancelled)\s*\(", text):
            return self.job_status == "success" and truthy(self.evaluate(text))
        return truthy(self.evaluate(text))


# ---- files the runner hands to steps ------------------------------------------------------------

def read_outputs(path):
    """The NAME=VALUE and NAME<<DELIMITER lines a step wrote to $GITHUB_OUTPUT."""
    outputs = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "=" in line and ("<<" not in line or line.index("=") < line.index("<<")):
            name, value = line.split("=", 1)
            outputs[name] = value
            continue
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            value = []
            while i < len(lines) and lines[i] != delimiter:
                value.append(lines[i])
                i += 1
            if i == len(lines):
                raise ActionError("output %r: no closing delimiter %r" % (name, delimiter))
            i += 1
            outputs[name] = "\n".join(value)
            continue
        raise ActionError("malformed line in GITHUB_OUTPUT: %r" % line)
    return outputs


SHELLS = {
    "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"],
    "sh": ["sh", "-e"],
}


def main(argv):
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("action_dir")
    parser.add_argument("--with", dest="with_", action="append", default=[])
    parser.add_argument("--github", action="append", default=[])
    parser.add_argument("--cache-hit", action="append", default=[])
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--temp", required=True)
    parser.add_argument("--outputs", required=True)
    parser.add_argument("--summary", required=True)
    parser.add_argument("--trace")
    args = parser.parse_args(argv)

    action_dir = os.path.abspath(args.action_dir)
    with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as f:
        action = yaml.safe_load(f)
    runs = action.get("runs") or {}
    if runs.get("using") != "composite":
        raise ActionError("only composite actions are supported")

    declared = action.get("inputs") or {}
    inputs = {}
    for name, spec in declared.items():
        inputs[name] = as_text((spec or {}).get("default", ""))
    for item in args.with_:
        name, _, value = item.partition("=")
        if name not in declared:
            raise ActionError("unexpected input %r: action.yml does not declare it" % name)
        inputs[name] = value
    for name, spec in declared.items():
        if (spec or {}).get("required") and inputs[name] == "":
            raise ActionError("input %r is required" % name)

    os.makedirs(args.temp, exist_ok=True)
    github = {
        "action_path": action_dir, "workspace": os.path.abspath(args.workspace),
        "action_ref": "", "action_repository": "", "server_url": "https://github.invalid",
        "repository": "example/app", "sha": "0" * 40, "ref": "refs/heads/main",
        "event_name": "push", "run_id": "1", "job": "scan",
    }
    for item in args.github:
        key, _, value = item.partition("=")
        github[key] = value
    runner = {"os": "Linux", "arch": "X64", "temp": os.path.abspath(args.temp),
              "tool_cache": os.path.join(os.path.abspath(args.temp), "tool-cache")}
    steps = {}
    ev = Evaluator({"inputs": inputs, "github": github, "runner": runner, "steps": steps,
                    "env": dict(os.environ)})

    base_env = dict(os.environ)
    base_env.update({
        "CI": "true", "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": action_dir,
        "GITHUB_WORKSPACE": github["workspace"],
        "GITHUB_SERVER_URL": github["server_url"],
        "GITHUB_REPOSITORY": github["repository"],
        "GITHUB_SHA": github["sha"], "GITHUB_REF": github["ref"],
        "GITHUB_EVENT_NAME": github["event_name"], "GITHUB_RUN_ID": github["run_id"],
        "GITHUB_JOB": github["job"],
        "GITHUB_ACTION_REPOSITORY": github["action_repository"],
        "GITHUB_ACTION_REF": github["action_ref"],
        "RUNNER_TEMP": runner["temp"], "RUNNER_OS": runner["os"], "RUNNER_ARCH": runner["arch"],
        "RUNNER_TOOL_CACHE": runner["tool_cache"],
    })

    for index, step in enumerate(runs.get("steps") or []):
        if re.search(r"\$\{\{[^}]*\binputs\.", step.get("run", "")):
            raise ActionError("step %s puts an input into its run: text (script injection)"
                              % step.get("id", index))

    trace, summaries, exit_code = [], [], 0
    for index, step in enumerate(runs.get("steps") or []):
        step_id = step.get("id") or "__step%d" % index
        record = {"id": step_id}
        trace.append(record)
        if not ev.condition(step.get("if")):
            record["skipped"] = True
            steps[step_id] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
            continue
        if "uses" in step:
            record["uses"] = step["uses"]
            record["with"] = {k: ev.substitute(v) for k, v in (step.get("with") or {}).items()}
            hit = "true" if step_id in args.cache_hit else "false"
            steps[step_id] = {"outputs": {"cache-hit": hit}, "outcome": "success",
                              "conclusion": "success"}
            continue
        if "run" not in step:
            raise ActionError("step %s has neither run nor uses" % step_id)
        shell = step.get("shell")
        if shell not in SHELLS:
            raise ActionError("step %s: composite run steps need shell: bash or sh, not %r" % (step_id, shell))
        env = dict(base_env)
        env.update({k: ev.substitute(v) for k, v in (step.get("env") or {}).items()})
        record["env"] = {k: env[k] for k in (step.get("env") or {})}
        fd, output_file = tempfile.mkstemp(prefix="output.", dir=runner["temp"])
        os.close(fd)
        fd, summary_file = tempfile.mkstemp(prefix="summary.", dir=runner["temp"])
        os.close(fd)
        env["GITHUB_OUTPUT"] = output_file
        env["GITHUB_STEP_SUMMARY"] = summary_file
        fd, script = tempfile.mkstemp(prefix="step.", suffix=".sh", dir=runner["temp"])
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(ev.substitute(step["run"]))
        cwd = github["workspace"]
        if step.get("working-directory"):
            cwd = os.path.join(cwd, ev.substitute(step["working-directory"]))
        sys.stdout.flush()
        rc = subprocess.call(SHELLS[shell] + [script], env=env, cwd=cwd, stdin=subprocess.DEVNULL)
        record["exit_code"] = rc
        outputs = read_outputs(output_file)
        with open(summary_file, encoding="utf-8") as f:
            summaries.append(f.read())
        for path in (output_file, summary_file, script):
            os.unlink(path)
        outcome = "success" if rc == 0 else "failure"
        steps[step_id] = {"outputs": outputs, "outcome": outcome, "conclusion": outcome}
        if rc != 0:
            print("::error::step %s failed with exit code %d" % (step_id, rc))
            if ev.job_status == "success":
                exit_code = rc
            ev.job_status = "failure"

    with open(args.outputs, "w", encoding="utf-8") as f:
        for name, spec in (action.get("outputs") or {}).items():
            value = ev.substitute((spec or {}).get("value", ""))
            if "\n" in value:
                raise ActionError("output %s holds a newline" % name)
            f.write("%s=%s\n" % (name, value))
    with open(args.summary, "w", encoding="utf-8") as f:
        f.write("".join(summaries))
    if args.trace:
        # One line per fact, for grep and sed: ID.state=ran|skipped, ID.with.NAME=VALUE, ID.env.NAME=VALUE.
        with open(args.trace, "w", encoding="utf-8") as f:
            for record in trace:
                f.write("%s.state=%s\n" % (record["id"], "skipped" if record.get("skipped") else "ran"))
                for kind in ("with", "env"):
                    for name, value in record.get(kind, {}).items():
                        f.write("%s.%s.%s=%s\n" % (record["id"], kind, name, value.replace("\n", "\\n")))
    return exit_code


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ActionError as e:
        print("gha-run: %s" % e, file=sys.stderr)
        sys.exit(100)
