#!/usr/bin/env python3
"""Checks that our specs cover the official Alibaba Cloud Python SDK packages.

For each official product package (pinned in requirements.txt), learns from the package
itself, by introspection rather than by reading its source text:

* its operations: every ``*with_options`` method of its ``Client`` (not the async ones);
* each operation's request parameters, as the SDK sends them: the method is called with a
  request model whose every field is set (nested models, lists of models and maps too),
  and the request it hands to ``call_api`` is captured before anything goes out. The
  query and body it built give the wire names; ``X.1.Key`` (a repeated list), ``X.Key``
  (a flat object or map) and JSON-string parameters (the SDK's ``*Shrink`` fields) are
  read back into the nested names ``X.Key``;
* each operation's response body fields at every depth, as the SDK reads them: the
  method's response model parses a stand-in JSON object (``from_map()``) that records
  every key read under ``body``, the elements of lists of models and the values of maps.
  (``to_map()`` is not used here: some generated ``to_map()`` methods fail on a list of
  maps of models, while ``from_map()``, which is what parses a response, is sound.)

It then compares them with ``specs/<product>/<version>/<Action>.yaml`` (request fields and
``response.fields``, nested ``fields``/``items``/``values``, list ``wrapper`` keys
included) and prints every operation, request parameter and response field the package
has and the spec lacks. What the specs have and the package lacks, and parameters sent in
another place (query/body) than the spec says, are printed as information only.

Names are compared as dotted paths of wire names: a list element or a map value adds no
name of its own (``Data.OrderList.Order.OrderId``, ``Tags.Key``).

Exit code: 0 when nothing is missing, 1 when something is, 2 on a usage or internal error.

Usage: coverage.py [--package NAME ...] [--specs DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"

# (PyPI package as imported, product directory, API version directory)
PACKAGES = [
    ("alibabacloud_cas20200407", "cas", "2020-04-07"),
    ("alibabacloud_cas20200630", "cas", "2020-06-30"),
    ("alibabacloud_cas20180813", "cas", "2018-08-13"),
    ("alibabacloud_cas20180713", "cas", "2018-07-13"),
    ("alibabacloud_bssopenapi20230930", "bssopenapi", "2023-09-30"),
    ("alibabacloud_bssopenapi20171214", "bssopenapi", "2017-12-14"),
    ("alibabacloud_sts20150401", "sts", "2015-04-01"),
]

# The key every populated map gets; removed again from the names read back.
MAP_KEY = "ZzMapKeyZz"
# How deep populated models go (a model that contains itself would never end).
MAX_DEPTH = 40

Path_ = tuple  # a dotted name path, as a tuple of wire names


# ---------------------------------------------------------------------------------------
# Populating the SDK's models
# ---------------------------------------------------------------------------------------


def is_model(kind: Any) -> bool:
    return inspect.isclass(kind) and any(
        base.__name__ == "TeaModel" for base in inspect.getmro(kind)
    )


def init_hints(cls: type) -> dict[str, Any]:
    """The parameters of a model's __init__ (its attributes) and their types."""
    try:
        hints = typing.get_type_hints(cls.__init__)
    except Exception:  # an annotation that does not resolve: evaluate them one by one
        hints = {}
        namespace = getattr(cls.__init__, "__globals__", {})
        for name, annotation in getattr(cls.__init__, "__annotations__", {}).items():
            try:
                hints[name] = eval(annotation, namespace) if isinstance(annotation, str) else annotation
            except Exception:
                hints[name] = Any
    parameters = inspect.signature(cls.__init__).parameters
    return {name: hints.get(name, Any) for name in parameters if name != "self"}


class Unresolved(Exception):
    pass


def populate(kind: Any, depth: int = 0, trail: tuple = ()) -> Any:
    """A value of type `kind` with every field set, recursively."""
    if depth > MAX_DEPTH:
        raise Unresolved(f"models nested deeper than {MAX_DEPTH}: {' > '.join(trail)}")
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin is typing.Union:  # Optional[X]
        kind = next(a for a in args if a is not type(None))
        return populate(kind, depth, trail)
    if origin in (list, typing.List):
        return [populate(args[0] if args else Any, depth + 1, trail)]
    if origin in (dict, typing.Dict):
        return {MAP_KEY: populate(args[1] if len(args) > 1 else Any, depth + 1, trail)}
    if is_model(kind):
        if kind.__name__ in trail:
            raise Unresolved(f"model {kind.__name__} contains itself: {' > '.join(trail)}")
        instance = kind()
        for name, hint in init_hints(kind).items():
            setattr(instance, name, populate(hint, depth + 1, trail + (kind.__name__,)))
        return instance
    if kind is bool:
        return True
    if kind is int:
        return 1
    if kind is float:
        return 1.5
    if kind is dict:
        return {MAP_KEY: "v"}
    if kind is list:
        return ["v"]
    return "v"  # str, Any and whatever else


# ---------------------------------------------------------------------------------------
# Reading dotted name paths out of nested values
# ---------------------------------------------------------------------------------------


def name_paths(value: Any, prefix: Path_ = (), split_dots: bool = False,
               out: set | None = None) -> set:
    """Every dotted path of names in a nested dict/list value (JSON strings opened)."""
    out = set() if out is None else out
    if isinstance(value, dict):
        for key, child in value.items():
            parts = str(key).split(".") if split_dots else [str(key)]
            names = tuple(p for p in parts if p and not p.isdigit() and p != MAP_KEY)
            for end in range(1, len(names) + 1):  # `X.1.Key` names X and X.Key
                out.add(prefix + names[:end])
            path = prefix + names
            name_paths(child, path, split_dots, out)
    elif isinstance(value, list):
        for child in value:
            name_paths(child, prefix, split_dots, out)
    elif isinstance(value, (str, bytes)) and split_dots:
        text = value.decode() if isinstance(value, bytes) else value
        if text[:1] in "{[":
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, (dict, list)):
                name_paths(parsed, prefix, split_dots, out)
    return out


def dotted(path: Path_) -> str:
    return ".".join(path)


class Probe(dict):
    """A stand-in for a received JSON object that records what from_map() reads of it.

    `m.get('X')` hands out a child probe; iterating a probe (a list of models) or calling
    `items()`/`values()` (a map) hands out one element probe. A probe read as a plain value
    (text, number, list of texts) is simply stored by from_map() and records nothing.
    """

    def __init__(self) -> None:
        super().__init__()
        self.children: dict[str, Probe] = {}
        self.element: Probe | None = None

    def __len__(self) -> int:  # `m = m or dict()` must keep the probe
        return 1

    def __bool__(self) -> bool:
        return True

    def get(self, key, default=None):
        return self.children.setdefault(str(key), Probe())

    __getitem__ = get

    def __contains__(self, key) -> bool:
        return True

    def _element(self) -> "Probe":
        if self.element is None:
            self.element = Probe()
        return self.element

    def __iter__(self):
        yield self._element()

    def items(self):
        yield MAP_KEY, self._element()

    def values(self):
        yield self._element()

    def keys(self):
        yield MAP_KEY

    def touched(self) -> bool:
        return bool(self.children) or self.element is not None

    def paths(self, prefix: Path_ = (), out: set | None = None) -> set:
        out = set() if out is None else out
        for key, child in self.children.items():
            out.add(prefix + (key,))
            child.paths(prefix + (key,), out)
        if self.element is not None:
            self.element.paths(prefix, out)
        return out


# ---------------------------------------------------------------------------------------
# The package side
# ---------------------------------------------------------------------------------------


@dataclass
class SdkOperation:
    method: str
    action: str = ""
    version: str = ""
    # request parameter path -> where the SDK put it ("query" or "body")
    request: dict = field(default_factory=dict)
    response: set = field(default_factory=set)
    problems: list = field(default_factory=list)


class Captured(Exception):
    def __init__(self, params: Any, request: Any):
        super().__init__("captured")
        self.params = params
        self.request = request


def resolve(annotation: Any, namespace: dict) -> Any:
    if isinstance(annotation, str):
        return eval(annotation, namespace)
    return annotation


def sdk_operations(package: str) -> tuple[str, list[SdkOperation]]:
    """The operations of one package, each with its request and response names."""
    client_module = importlib.import_module(f"{package}.client")
    module_version = getattr(importlib.import_module(package), "__version__", "?")
    client_class = client_module.Client
    from alibabacloud_tea_openapi.utils_models import Config

    client = client_class(Config(access_key_id="id", access_key_secret="secret",
                                 endpoint="127.0.0.1", region_id="cn-hangzhou",
                                 protocol="http"))

    def capture(params, request, runtime):
        raise Captured(params, request)

    def capture_rpc(action, version, protocol, method, auth_type, body_type, request, runtime):
        # Anonymous operations (STS AssumeRoleWith*) go through do_rpcrequest instead.
        raise Captured(argparse.Namespace(action=action, version=version), request)

    client.call_api = capture
    client.do_rpcrequest = capture_rpc
    namespace = vars(client_module)
    operations = []
    for name in sorted(dir(client_class)):
        # `assume_role_with_oidcwith_options`: no underscore before `with` after an acronym.
        if not name.endswith("with_options") or name.startswith("_"):
            continue
        method = getattr(client_class, name)
        if inspect.iscoroutinefunction(method):
            continue
        operation = SdkOperation(method=name)
        operations.append(operation)
        signature = inspect.signature(method)
        arguments = []
        try:
            for parameter in list(signature.parameters.values())[1:]:
                kind = resolve(parameter.annotation, namespace)
                if getattr(kind, "__name__", "") == "RuntimeOptions":
                    arguments.append(kind())
                    continue
                value = populate(kind)
                if is_model(kind) and not parameter.name == "runtime":
                    # Skip pattern and length rules: the values only need to be there.
                    value.validate = lambda: None
                arguments.append(value)
            getattr(client, name)(*arguments)
            operation.problems.append("the method returned without calling call_api")
        except Captured as captured:
            operation.action = captured.params.action
            operation.version = captured.params.version
            request = captured.request
            for where, part in (("query", request.query), ("body", request.body),
                                ("header", request.headers)):
                if not part:
                    continue
                if where == "header":
                    part = {k: v for k, v in part.items() if not k.lower().startswith("x-acs-")}
                if isinstance(part, (str, bytes)):  # a JSON body
                    part = json.loads(part)
                for path in name_paths(part, split_dots=True):
                    operation.request.setdefault(path, where)
        except Unresolved as error:
            operation.problems.append(f"request: {error}")
        except Exception as error:  # noqa: BLE001 - reported, and the run fails
            operation.problems.append(f"request: calling {name} failed: {type(error).__name__}: {error}")

        # The response: what the response model's from_map() reads under `body`.
        try:
            response_class = resolve(signature.return_annotation, namespace)
            probe = Probe()
            response_class().from_map(probe)
            body = probe.children.get("body")
            if body is None or not body.touched():
                operation.problems.append(f"response: {response_class.__name__}.from_map() "
                                          "reads no body fields")
                continue
            operation.response = body.paths()
        except Exception as error:  # noqa: BLE001
            operation.problems.append(f"response: {type(error).__name__}: {error}")
    return module_version, operations


# ---------------------------------------------------------------------------------------
# The spec side
# ---------------------------------------------------------------------------------------


@dataclass
class SpecOperation:
    file: str
    request: dict = field(default_factory=dict)  # path -> "query" | "body"
    response: set = field(default_factory=set)


def spec_paths(node: dict, prefix: Path_, out: dict | set, where: str | None = None) -> None:
    """Adds the names under one spec field node (its type's fields, items, values)."""
    kind = node.get("type")
    if kind == "list":
        if node.get("wrapper"):
            prefix = prefix + (str(node["wrapper"]),)
            add(out, prefix, where)
        if isinstance(node.get("items"), dict):
            spec_paths(node["items"], prefix, out, where)
    elif kind == "map":
        if isinstance(node.get("values"), dict):
            spec_paths(node["values"], prefix, out, where)
    for child in node.get("fields") or []:
        path = prefix + (str(child["name"]),)
        add(out, path, where)
        spec_paths(child, path, out, where)


def add(out: dict | set, path: Path_, where: str | None) -> None:
    if isinstance(out, dict):
        out.setdefault(path, where)
    else:
        out.add(path)


def spec_operations(specs: Path, product: str, version: str) -> dict[str, SpecOperation]:
    directory = specs / product / version
    operations: dict[str, SpecOperation] = {}
    for file in sorted(directory.glob("*.yaml")):
        if file.name == "service.yaml":
            continue
        # BaseLoader: every scalar stays text (an `example: 2020-02-30` is no date to check).
        spec = yaml.load(file.read_text(), Loader=yaml.BaseLoader)
        operation = SpecOperation(file=str(file.relative_to(specs.parent)))
        for parameter in spec.get("request") or []:
            where = "body" if parameter.get("in") in ("body", "formData") else "query"
            path = (str(parameter["name"]),)
            operation.request.setdefault(path, where)
            spec_paths(parameter, path, operation.request, where)
        spec_paths({"fields": (spec.get("response") or {}).get("fields") or []}, (),
                   operation.response)
        operations[str(spec["action"])] = operation
    return operations


# ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", action="append",
                        help="check only this package (e.g. alibabacloud_cas20200630); repeatable")
    parser.add_argument("--specs", type=Path, default=SPECS,
                        help="the specs directory (default: the repository's specs/)")
    parser.add_argument("--verbose", action="store_true",
                        help="also list every operation with its counts")
    args = parser.parse_args()
    chosen = [p for p in PACKAGES if not args.package or p[0] in args.package
              or p[0].replace("_", "-") in args.package]
    if not chosen:
        print(f"coverage.py: no such package: {args.package}", file=sys.stderr)
        return 2

    missing_total = 0
    broken_total = 0
    summary = []
    for package, product, version in chosen:
        module_version, sdk = sdk_operations(package)
        specs = spec_operations(args.specs, product, version)
        missing: list[str] = []
        extra: list[str] = []
        moved: list[str] = []
        broken: list[str] = []
        counts = [0, 0, 0]  # operations, request names, response names
        seen_actions = set()
        for op in sdk:
            for problem in op.problems:
                broken.append(f"{op.method}: {problem}")
            if not op.action:
                continue
            if op.version and op.version != version:
                broken.append(f"{op.method}: sends Version={op.version}, expected {version}")
            seen_actions.add(op.action)
            counts[0] += 1
            counts[1] += len(op.request)
            counts[2] += len(op.response)
            spec = specs.get(op.action)
            if spec is None:
                missing.append(f"operation {op.action} ({op.method}; {len(op.request)} request "
                               f"names, {len(op.response)} response names)")
                continue
            for path in sorted(op.request):
                if path not in spec.request:
                    missing.append(f"{op.action}: request parameter {dotted(path)} "
                                   f"(sent in the {op.request[path]})")
                elif spec.request[path] != op.request[path] and len(path) == 1:
                    moved.append(f"{op.action}: {dotted(path)} is sent in the {op.request[path]}, "
                                 f"the spec says {spec.request[path]}")
            for path in sorted(op.response):
                if path not in spec.response:
                    missing.append(f"{op.action}: response field {dotted(path)}")
            for path in sorted(set(spec.request) - set(op.request)):
                extra.append(f"{op.action}: request parameter {dotted(path)}")
            for path in sorted(spec.response - op.response):
                extra.append(f"{op.action}: response field {dotted(path)}")
            if args.verbose:
                print(f"  {package} {op.action}: {len(op.request)} request names, "
                      f"{len(op.response)} response names")
        for action in sorted(set(specs) - seen_actions):
            extra.append(f"operation {action} ({specs[action].file})")

        title = f"{package}=={module_version} vs specs/{product}/{version}"
        print(f"== {title}: {counts[0]} operations, {counts[1]} request names, "
              f"{counts[2]} response names")
        for line in broken:
            print(f"  ERROR    {line}")
        for line in missing:
            print(f"  MISSING  {line}")
        for line in moved:
            print(f"  info: location  {line}")
        for line in extra:
            print(f"  info: only in our spec  {line}")
        missing_total += len(missing)
        broken_total += len(broken)
        summary.append(f"{package}: {len(missing)} missing, {len(extra)} only in our specs"
                       + (f", {len(broken)} errors" if broken else ""))

    print()
    for line in summary:
        print(line)
    print(f"coverage: {missing_total} missing, {broken_total} errors")
    if broken_total:
        return 2
    return 1 if missing_total else 0


if __name__ == "__main__":
    sys.exit(main())
