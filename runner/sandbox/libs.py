"""Python half of the libraries Postman scripts load (CryptoJS, Buffer, atob/btoa, uuid, ajv, tv4, xml2Json).

QuickJS is small and slow at byte crunching, and Python already has exact implementations of hashing,
base64, UUIDs, JSON Schema and XML parsing. ``js/libs.js`` wraps these in the JavaScript APIs that
scripts expect. Only primitives cross the boundary: bytes travel as hex, structures as JSON text.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import uuid
import xml.parsers.expat
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import quote

import referencing
import referencing.exceptions
import referencing.jsonschema
from jsonschema import Draft4Validator, Draft6Validator, Draft7Validator, FormatChecker, ValidationError
from jsonschema import validators as jsv
from jsonschema.exceptions import SchemaError, _RefResolutionError

# ---------------------------------------------------------------------------------------------------------
# Bytes: hashing, HMAC, PBKDF2, random, base64, uuid


def _digest_name(algorithm: str) -> str:
    """CryptoJS and Node spell algorithms 'SHA256' / 'sha-256'; hashlib wants 'sha256'."""
    return algorithm.lower().replace("-", "")


def hash_hex(algorithm: str, data_hex: str) -> str:
    """Digest of the bytes ``data_hex``, as hex."""
    return hashlib.new(_digest_name(algorithm), bytes.fromhex(data_hex)).hexdigest()


def hmac_hex(algorithm: str, key_hex: str, data_hex: str) -> str:
    """HMAC of ``data_hex`` keyed by ``key_hex``, as hex."""
    return hmac.new(bytes.fromhex(key_hex), bytes.fromhex(data_hex), _digest_name(algorithm)).hexdigest()


def pbkdf2_hex(algorithm: str, password_hex: str, salt_hex: str, iterations: int, key_bytes: int) -> str:
    """PBKDF2-HMAC derived key, as hex."""
    key = hashlib.pbkdf2_hmac(
        _digest_name(algorithm),
        bytes.fromhex(password_hex),
        bytes.fromhex(salt_hex),
        int(iterations),
        int(key_bytes),
    )
    return key.hex()


def random_hex(count: int) -> str:
    """``count`` cryptographically random bytes, as hex (CryptoJS.lib.WordArray.random)."""
    return secrets.token_hex(int(count))


def b64encode(data_hex: str, urlsafe: bool = False) -> str:
    """Base64 of the bytes; ``urlsafe`` gives Node's unpadded 'base64url'."""
    raw = bytes.fromhex(data_hex)
    if urlsafe:
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
    return base64.b64encode(raw).decode("ascii")


_B64_JUNK = re.compile(r"[^A-Za-z0-9+/\-_]")


def b64decode(text: str) -> str:
    """Decode base64 as leniently as Node's Buffer: skip junk, accept url-safe, stop at '='; hex out."""
    clean = _B64_JUNK.sub("", text.split("=", 1)[0]).replace("-", "+").replace("_", "/")
    clean = clean[: len(clean) - (len(clean) % 4 == 1)]  # a lone trailing sextet carries no byte
    return base64.b64decode(clean + "=" * (-len(clean) % 4)).hex()


def uuid4() -> str:
    """A random RFC 4122 version 4 UUID."""
    return str(uuid.uuid4())


# ---------------------------------------------------------------------------------------------------------
# XML -> object, the way xml2js shapes it (Postman's xml2Json uses explicitArray: false, trim: true)

_XML_DEFAULTS: dict[str, Any] = {
    "explicitArray": True,
    "explicitRoot": True,
    "ignoreAttrs": False,
    "mergeAttrs": False,
    "trim": False,
    "normalize": False,
    "attrkey": "$",
    "charkey": "_",
    "explicitCharkey": False,
    "emptyTag": "",
}


class _XmlBuilder:
    """Expat callbacks building xml2js-shaped values."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.opt = options
        self.stack: list[tuple[str, dict[str, Any], list[str], list[bool]]] = []
        self.root: dict[str, Any] | None = None
        self.in_cdata = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        node: dict[str, Any] = {self.opt["charkey"]: ""}  # xml2js creates the text key first: keeps its order
        if attrs and not self.opt["ignoreAttrs"]:
            if self.opt["mergeAttrs"]:
                for key, value in attrs.items():
                    self._add(node, key, value)
            else:
                node[self.opt["attrkey"]] = dict(attrs)
        self.stack.append((name, node, [], [False]))

    def text(self, data: str) -> None:
        if self.stack:
            self.stack[-1][2].append(data)
            if self.in_cdata:
                self.stack[-1][3][0] = True

    def end(self, name: str) -> None:
        _, node, texts, cdata = self.stack.pop()
        opt, charkey = self.opt, self.opt["charkey"]
        text = "".join(texts)
        empty_text = ""
        if not text.strip() and not cdata[0]:
            empty_text = text
            del node[charkey]
        else:
            if opt["trim"]:
                text = text.strip()
            if opt["normalize"]:
                text = re.sub(r"\s{2,}", " ", text).strip()
            node[charkey] = text
        value: Any = node
        if not node:
            value = opt["emptyTag"] if opt["emptyTag"] != "" else empty_text
        elif list(node) == [charkey] and not opt["explicitCharkey"]:
            value = node[charkey]
        if self.stack:
            self._add(self.stack[-1][1], name, value)
        else:
            self.root = {name: value} if opt["explicitRoot"] else value

    def _add(self, parent: dict[str, Any], key: str, value: Any) -> None:
        if key not in parent:
            parent[key] = [value] if self.opt["explicitArray"] else value
        elif isinstance(parent[key], list):
            parent[key].append(value)
        else:
            parent[key] = [parent[key], value]


def xml_to_json(text: str, options_json: str = "{}") -> str:
    """Parse XML into xml2js's object shape; returns JSON text ('null' for a blank document)."""
    options = {**_XML_DEFAULTS, **json.loads(options_json or "{}")}
    text = text.lstrip("\ufeff")
    if not text.strip():
        return "null"
    builder = _XmlBuilder(options)
    parser = xml.parsers.expat.ParserCreate("utf-8")
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.text
    parser.StartCdataSectionHandler = lambda: setattr(builder, "in_cdata", True)
    parser.EndCdataSectionHandler = lambda: setattr(builder, "in_cdata", False)
    parser.ordered_attributes = False
    try:
        parser.Parse(text.encode("utf-8"), True)
    except xml.parsers.expat.ExpatError:
        if builder.root is None:  # xml2js keeps a complete root even when junk follows it
            raise
    return json.dumps(builder.root, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------------
# JSON Schema through jsonschema, reported the way ajv 6 and tv4 1.3 report errors


def _js_num(value: Any) -> str:
    """Render a number as JavaScript's String(n) would (5 not 5.0)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return json.dumps(value)


def _js_json(value: Any) -> str:
    """JSON.stringify(value) without spaces."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _json_equal(a: Any, b: Any) -> bool:
    """Deep equality with JSON semantics: true != 1, 1 == 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _annotated(error: ValidationError, **params: Any) -> ValidationError:
    error.params = params  # type: ignore[attr-defined]
    return error


def _required(validator: Any, required: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """One error per missing property, remembering which (draft-3 style booleans are ignored, like tv4)."""
    if not isinstance(required, list) or not validator.is_type(instance, "object"):
        return
    for index, prop in enumerate(required):
        if prop not in instance:
            yield _annotated(ValidationError(f"{prop!r} is a required property"), missing=prop, index=index)


class _DynamicKey(str):
    """A data-path key reached through additionalProperties/patternProperties: ajv writes it as ['key']."""


def _has_rules(subschema: Any) -> bool:
    """ajv's schemaHasRules: a property schema that actually constrains something (false counts)."""
    if isinstance(subschema, bool):
        return not subschema
    return isinstance(subschema, dict) and any(k not in _ANNOTATIONS for k in subschema)


_ANNOTATIONS = {
    "title",
    "description",
    "default",
    "examples",
    "$comment",
    "$id",
    "id",
    "$schema",
    "definitions",
    "readOnly",
    "writeOnly",
}


def _ajv_deferred(schema: Any, required: Any) -> set[str]:
    """Required names that ajv checks while walking ``properties`` (with a constraining schema there)."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(required, list) or not isinstance(props, dict) or not props:
        return set()
    return {p for p in required if isinstance(p, str) and p in props and _has_rules(props[p])}


def _ajv_required(validator: Any, required: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """ajv's required skips names that ``properties`` will report (see ``_ajv_properties``)."""
    deferred = _ajv_deferred(schema, required)
    for error in _required(validator, required, instance, schema):
        if error.params["missing"] not in deferred:  # type: ignore[attr-defined]
            yield error


def _ajv_properties(validator: Any, properties: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """Properties in schema order; a missing required one is reported in place, by its plain name."""
    if not validator.is_type(instance, "object"):
        return
    required = schema.get("required")
    deferred = _ajv_deferred(schema, required)
    for prop, subschema in properties.items():
        if prop in instance:
            yield from validator.descend(instance[prop], subschema, path=prop, schema_path=prop)
        elif prop in deferred:
            error = ValidationError(
                f"{prop!r} is a required property",
                validator="required",
                validator_value=required,
                instance=instance,
                schema=schema,
                schema_path=["required"],
            )
            yield _annotated(error, missing=prop, index=required.index(prop), deferred=True)


def _contains_ref(node: Any) -> bool:
    if isinstance(node, dict):
        return "$ref" in node or any(_contains_ref(v) for v in node.values())
    return isinstance(node, list) and any(_contains_ref(v) for v in node)


def _ajv_ref(original: Callable[..., Iterator[ValidationError]]) -> Callable[..., Iterator[ValidationError]]:
    """Remember, per error, the innermost $ref and the error's path inside its target.

    ajv inlines a referenced schema that holds no $ref itself (paths then read '<ref>/<tail>'); others it
    compiles apart, and their paths start again at '#'.
    """

    def ref(validator: Any, ref: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        try:
            inlined = not _contains_ref(validator._resolver.lookup(ref).contents)
        except Exception:  # noqa: BLE001 - resolution errors surface from the real validator below
            inlined = True
        for error in original(validator, ref, instance, schema):
            if not hasattr(error, "ajv_ref"):
                error.ajv_ref = (ref if inlined else "#", list(error.relative_schema_path))
            yield error

    return ref


def _ajv_property_names(validator: Any, names: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """One 'property name is invalid' error per bad name, holding that name's own errors as context."""
    if not validator.is_type(instance, "object"):
        return
    for name in instance:
        inner = list(validator.descend(instance=name, schema=names))
        if inner:
            for sub in inner:
                sub.property_name = name
            error = ValidationError(f"property name {name!r} is invalid", context=inner, instance=name)
            yield _annotated(error, propertyName=name)


def _additional_properties(
    validator: Any, extra: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """One error per unexpected property (jsonschema lumps them together)."""
    if not validator.is_type(instance, "object"):
        return
    patterns = list(schema.get("patternProperties", {}))
    props = schema.get("properties", {})
    extras = [k for k in instance if k not in props and not any(re.search(p, k) for p in patterns)]
    if validator.is_type(extra, "object"):
        for key in extras:
            yield from validator.descend(instance[key], extra, path=_DynamicKey(key))
    elif extra is False:
        for key in extras:
            yield _annotated(ValidationError(f"Additional properties are not allowed ({key!r})"), key=key)


def _pattern_properties(
    validator: Any, patterns: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """jsonschema's patternProperties, with the matched keys marked as dynamic."""
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if re.search(pattern, key):
                yield from validator.descend(value, subschema, path=_DynamicKey(key), schema_path=pattern)


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """Report which pair of items repeats: ajv scans from the end, tv4 from the start."""
    if not unique or not validator.is_type(instance, "array"):
        return
    pairs = [(i, j) for i in range(len(instance)) for j in range(i) if _json_equal(instance[i], instance[j])]
    if pairs:
        last = max(pairs)
        first = min(pairs, key=lambda p: (p[1], p[0]))
        yield _annotated(
            ValidationError(f"{instance!r} has non-unique elements"),
            i=last[0],
            j=last[1],
            m1=first[1],
            m2=first[0],
        )


def _dependencies(validator: Any, deps: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """Array dependencies say which key was missing; schema dependencies descend as usual."""
    if not validator.is_type(instance, "object"):
        return
    for prop, dep in deps.items():
        if prop not in instance:
            continue
        if isinstance(dep, list):
            for index, needed in enumerate(dep):
                if needed not in instance:
                    error = ValidationError(
                        f"{needed!r} is a dependency of {prop!r}", schema_path=[prop, index]
                    )
                    yield _annotated(error, property=prop, missing=needed, deps=dep)
        else:
            yield from validator.descend(instance, dep, schema_path=prop)


def _if_then_else(validator: Any, if_schema: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """Like jsonschema's, plus ajv's closing 'should match "then" schema' error."""
    branch = "then" if validator.evolve(schema=if_schema).is_valid(instance) else "else"
    if branch not in schema:
        return
    errors = list(validator.descend(instance, schema[branch], schema_path=branch))
    yield from errors
    if errors:
        yield _annotated(ValidationError(f'should match "{branch}" schema'), failingKeyword=branch)


def _one_of(validator: Any, subschemas: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """jsonschema's oneOf, remembering which two branches both passed."""
    passing = [i for i, s in enumerate(subschemas) if validator.evolve(schema=s).is_valid(instance)]
    if len(passing) > 1:
        yield _annotated(ValidationError(f"{instance!r} is valid under each of several"), passing=passing[:2])
    elif not passing:
        context = [e for i, s in enumerate(subschemas) for e in validator.descend(instance, s, schema_path=i)]
        yield _annotated(
            ValidationError(f"{instance!r} is not valid under any", context=context), passing=None
        )


_OVERRIDES: dict[str, Callable[..., Iterator[ValidationError]]] = {
    "required": _required,
    "additionalProperties": _additional_properties,
    "patternProperties": _pattern_properties,
    "uniqueItems": _unique_items,
    "dependencies": _dependencies,
    "oneOf": _one_of,
}

# Keyword evaluation order, so the first error found is the one each library reports first.
_AJV_ORDER = (
    "$ref type maximum exclusiveMaximum minimum exclusiveMinimum multipleOf maxLength minLength pattern "
    "format maxItems minItems items additionalItems contains uniqueItems maxProperties minProperties "
    "required dependencies propertyNames additionalProperties properties patternProperties const enum not "
    "anyOf oneOf allOf if"
).split()
_TV4_ORDER = (
    "$ref type enum multipleOf minimum exclusiveMinimum maximum exclusiveMaximum minLength maxLength pattern "
    "minItems maxItems uniqueItems items additionalItems minProperties maxProperties required properties "
    "patternProperties additionalProperties dependencies allOf anyOf oneOf not format"
).split()


def _ordered(order: list[str]) -> Callable[[Any], Iterable[tuple[str, Any]]]:
    rank = {k: i for i, k in enumerate(order)}

    def applicable(schema: Any) -> Iterable[tuple[str, Any]]:
        if "$ref" in schema:  # drafts 4-7: siblings of $ref are ignored
            return [("$ref", schema["$ref"])]
        return sorted(schema.items(), key=lambda kv: rank.get(kv[0], len(rank)))

    return applicable


def _make_class(base: Any, order: list[str], formats: FormatChecker, extra: dict[str, Any]) -> Any:
    """A variant of a draft's validator class with our keyword order, error details and formats."""
    return jsv.create(
        meta_schema=base.META_SCHEMA,
        validators={**base.VALIDATORS, **_OVERRIDES, **extra},
        type_checker=base.TYPE_CHECKER,
        format_checker=formats,
        id_of=base.ID_OF,
        applicable_validators=_ordered(order),
    )


def _is_date(text: str) -> bool:
    match = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", text)
    if not match:
        return False
    year, month, day = map(int, match.groups())
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return 1 <= month <= 12 and 1 <= day <= days[month - 1]


def _is_time(text: str) -> bool:
    match = re.fullmatch(r"(\d\d):(\d\d):(\d\d)(\.\d+)?(z|[+-]\d\d(:?\d\d)?)?", text, re.I)
    return bool(match) and int(match[1]) <= 23 and int(match[2]) <= 59 and int(match[3]) <= 60


def _is_ip(version: int) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            return ipaddress.ip_address(text).version == version
        except ValueError:
            return False

    return check


def _is_regex(text: str) -> bool:
    try:
        re.compile(text)
    except re.error:
        return False
    return True


_HOST = r"(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
_FORMAT_TESTS: dict[str, Callable[[str], bool]] = {
    "date": _is_date,
    "time": _is_time,
    "date-time": lambda s: (
        bool(re.fullmatch(r"(.+)[tT ](.+)", s))
        and _is_date(re.split("[tT ]", s, maxsplit=1)[0])
        and _is_time(re.split("[tT ]", s, maxsplit=1)[1])
    ),
    "email": lambda s: bool(re.fullmatch(r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@" + _HOST, s, re.I)),
    "hostname": lambda s: bool(re.fullmatch(_HOST, s, re.I)),
    "ipv4": _is_ip(4),
    "ipv6": _is_ip(6),
    "uri": lambda s: bool(re.fullmatch(r"[a-z][a-z0-9+.\-]*:[^\s\"<>\\^`{|}]*", s, re.I)),
    "url": lambda s: bool(re.fullmatch(r"(https?|ftp)://[^\s/$.?#][^\s]*", s, re.I)),
    "uri-reference": lambda s: bool(re.fullmatch(r"[^\s\"<>\\^`{|}]*", s)),
    "uri-template": lambda s: bool(re.fullmatch(r"([^\s{}]|\{[^{}\s]+\})*", s)),
    "uuid": lambda s: bool(re.fullmatch(r"(urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", s, re.I)),
    "regex": _is_regex,
    "json-pointer": lambda s: bool(re.fullmatch(r"(/([^~/]|~[01])*)*", s)),
    "json-pointer-uri-fragment": lambda s: bool(
        re.fullmatch(r"#(/([a-z0-9_\-.!$&'()*+,;:=@]|%[0-9a-f]{2}|~[01])*)*", s, re.I)
    ),
    "relative-json-pointer": lambda s: bool(re.fullmatch(r"(0|[1-9][0-9]*)(#|(/([^~/]|~[01])*)*)", s)),
}


def _format_checker(names: Iterable[str], patterns: dict[str, str]) -> FormatChecker:
    """A checker for the built-in formats ``names`` plus user formats given as regular expressions."""
    checker = FormatChecker(formats=())
    for name in names:
        test = _FORMAT_TESTS[name]
        checker.checks(name)(lambda value, test=test: not isinstance(value, str) or test(value))
    for name, pattern in patterns.items():
        regex = re.compile(pattern)
        checker.checks(name)(
            lambda value, regex=regex: not isinstance(value, str) or bool(regex.search(value))
        )
    return checker


_DRAFTS = {
    "http://json-schema.org/draft-04/schema": (Draft4Validator, referencing.jsonschema.DRAFT4),
    "http://json-schema.org/draft-06/schema": (Draft6Validator, referencing.jsonschema.DRAFT6),
    "http://json-schema.org/draft-07/schema": (Draft7Validator, referencing.jsonschema.DRAFT7),
}


def _run(
    schema: Any,
    data: Any,
    base: Any,
    order: list[str],
    formats: FormatChecker,
    options: dict[str, Any],
    ajv: bool = False,
) -> tuple[list[ValidationError], list[str]]:
    """Validate; returns the errors (in the library's order) and the $ref URIs that could not be found."""
    spec = _DRAFTS[base.META_SCHEMA["$schema"].rstrip("#")][1]
    missing: list[str] = []

    def retrieve(uri: str) -> referencing.Resource:
        if options.get("missingRefsOk"):
            missing.append(uri)
            return referencing.Resource.from_contents({}, default_specification=spec)
        raise referencing.exceptions.NoSuchResource(ref=uri)

    resources = [
        (uri, referencing.Resource.from_contents(s, default_specification=spec))
        for uri, s in options.get("schemas", {}).items()
    ]
    registry = referencing.Registry(retrieve=retrieve).with_resources(resources)  # type: ignore[call-arg]
    extra: dict[str, Any] = {} if base is Draft4Validator else {"if": _if_then_else}
    if ajv:
        extra.update(
            {
                "required": _ajv_required,
                "properties": _ajv_properties,
                "propertyNames": _ajv_property_names,
                "$ref": _ajv_ref(base.VALIDATORS["$ref"]),
            }
        )
    cls = _make_class(base, order, formats, extra)
    validator = cls(schema, registry=registry, format_checker=formats)
    return list(validator.iter_errors(data)), missing


def _walk_errors(errors: Iterable[ValidationError], all_errors: bool) -> Iterator[ValidationError]:
    """Flatten anyOf/oneOf context the way ajv lists it: each branch's errors, then the combinator's."""
    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            branches: dict[Any, list[ValidationError]] = {}
            for sub in error.context:
                branches.setdefault(sub.relative_schema_path[0], []).append(sub)
            for subs in branches.values():
                yield from _walk_errors(subs if all_errors else subs[:1], all_errors)
        elif error.validator == "propertyNames" and error.context:
            yield from _walk_errors(error.context, all_errors)
        yield error
        if not all_errors:
            return


_IDENT = re.compile(r"^[a-zA-Z$_][a-zA-Z$_0-9]*$")


def _ajv_accessor(key: Any) -> str:
    if isinstance(key, int):
        return f"[{key}]"
    if _IDENT.match(key) and not isinstance(key, _DynamicKey):
        return f".{key}"
    return "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']"


def _pointer_segment(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _ajv_error(
    error: ValidationError, all_errors: bool, json_pointers: bool = False, verbose: bool = False
) -> dict[str, Any]:
    """Translate one jsonschema error into ajv 6's {keyword, dataPath, schemaPath, params, message}.

    ``json_pointers`` and ``verbose`` mirror the ajv options of the same names.
    """
    keyword, value, params = error.validator, error.validator_value, getattr(error, "params", {})
    schema_path = list(error.absolute_schema_path)
    if json_pointers:
        data_path = "".join("/" + _pointer_segment(k) for k in error.absolute_path)
    else:
        data_path = "".join(_ajv_accessor(k) for k in error.absolute_path)
    match keyword:
        case "type":
            types = ",".join(value) if isinstance(value, list) else value
            out = {"type": types}, f"should be {types}"
        case "required":
            raw = all_errors or json_pointers or params.get("deferred")
            prop = params["missing"] if raw else _ajv_accessor(params["missing"])
            if params.get("deferred"):
                del schema_path[-2]  # reported from 'properties', but ajv points at the 'required' keyword
            out = {"missingProperty": prop}, f"should have required property '{prop}'"
        case "additionalProperties":
            out = {"additionalProperty": params["key"]}, "should NOT have additional properties"
        case "enum":
            out = {"allowedValues": value}, "should be equal to one of the allowed values"
        case "const":
            out = {"allowedValue": value}, "should be equal to constant"
        case "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum":
            exclusive = keyword.startswith("exclusive")
            op = (">" if "in" in keyword else "<") + ("" if exclusive else "=")
            out = (
                {"comparison": op, "limit": value, "exclusive": exclusive},
                f"should be {op} {_js_num(value)}",
            )
        case "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties":
            word = "shorter" if keyword == "minLength" else "longer" if keyword == "maxLength" else None
            many = "fewer" if keyword.startswith("min") else "more"
            unit = "characters" if "Length" in keyword else "items" if "Items" in keyword else "properties"
            text = f"{word} than" if word else f"have {many} than"
            out = {"limit": value}, f"should NOT {'be ' if word else ''}{text} {_js_num(value)} {unit}"
        case "additionalItems":
            limit = len(error.schema.get("items", []))
            out = {"limit": limit}, f"should NOT have more than {limit} items"
        case "pattern":
            out = {"pattern": value}, f'should match pattern "{value}"'
        case "format":
            out = {"format": value}, f'should match format "{value}"'
        case "multipleOf":
            out = {"multipleOf": value}, f"should be multiple of {_js_num(value)}"
        case "uniqueItems":
            i, j = params["i"], params["j"]
            out = {"i": i, "j": j}, f"should NOT have duplicate items (items ## {j} and {i} are identical)"
        case "anyOf":
            out = {}, "should match some schema in anyOf"
        case "oneOf":
            out = {"passingSchemas": params.get("passing")}, "should match exactly one schema in oneOf"
        case "not":
            out = {}, "should NOT be valid"
        case "dependencies":
            prop, needed, deps = params["property"], params["missing"], params["deps"]
            out = (
                {
                    "property": prop,
                    "missingProperty": needed if all_errors or json_pointers else _ajv_accessor(needed),
                    "depsCount": len(deps),
                    "deps": ", ".join(deps),
                },
                f"should have {'property' if len(deps) == 1 else 'properties'} {', '.join(deps)} "
                f"when property {prop} is present",
            )
            schema_path = schema_path[:-2]
        case "contains":
            out = {}, "should contain a valid item"
        case "if":
            out = {"failingKeyword": params["failingKeyword"]}, error.message
        case "propertyNames":
            out = {"propertyName": error.instance}, f"property name '{error.instance}' is invalid"
        case _:
            out = {}, "boolean schema is false" if value is False else error.message
            keyword = "false schema" if value is False else keyword
    base = "#"
    if hasattr(error, "ajv_ref"):  # ajv reports paths inside a referenced schema relative to it
        base, tail = error.ajv_ref  # type: ignore[attr-defined]
        schema_path = schema_path[len(schema_path) - len(tail) :] if tail else []
    pointer = base + "".join("/" + quote(_pointer_segment(k), safe="-_.!~*'()") for k in schema_path)
    result = {
        "keyword": keyword,
        "dataPath": data_path,
        "schemaPath": pointer,
        "params": out[0],
        "message": out[1],
    }
    if hasattr(error, "property_name"):
        result["propertyName"] = error.property_name  # type: ignore[attr-defined]
    if verbose:
        result.update(schema=value, parentSchema=error.schema, data=error.instance)
    return result


def _ajv_schema_problem(schema: Any, base: Any) -> str | None:
    """ajv compiles only schemas valid against their meta-schema; describe the problems as ajv does."""
    if isinstance(schema, bool):
        return None
    if not isinstance(schema, dict):
        return "schema is invalid: data should be object,boolean"
    meta = {k: v for k, v in base.META_SCHEMA.items() if k != "$schema"}
    errors, _ = _run(meta, schema, base, _AJV_ORDER, FormatChecker(formats=()), {}, ajv=True)
    if not errors:
        return None
    texts = [
        f"data{e['dataPath']} {e['message']}"
        for e in map(lambda err: _ajv_error(err, True), _walk_errors(errors, True))
    ]
    return "schema is invalid: " + ", ".join(texts)


def _find_unknown_formats(node: Any, known: set[str], path: str = "#") -> str | None:
    """ajv refuses schemas that use a format it doesn't know; find the first such place."""
    if isinstance(node, dict):
        fmt = node.get("format")
        if isinstance(fmt, str) and fmt not in known:
            return f'unknown format "{fmt}" is used in schema at path "{path}"'
        for key, child in node.items():
            if key in ("properties", "patternProperties", "definitions", "$defs", "dependencies"):
                children = child.items() if isinstance(child, dict) else []
            elif key in ("enum", "const", "default", "examples"):
                continue
            else:
                children = [(key, child)]
            for name, sub in children:
                found = _find_unknown_formats(
                    sub, known, f"{path}/{name}" if name == key else f"{path}/{key}/{name}"
                )
                if found:
                    return found
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found = _find_unknown_formats(item, known, f"{path}/{index}")
            if found:
                return found
    return None


def _parse_args(schema_json: str, data_json: str | None, options_json: str | None) -> tuple[Any, Any, dict]:
    return (
        json.loads(schema_json),
        json.loads(data_json) if data_json else None,
        json.loads(options_json or "{}"),
    )


def _pick_draft(schema: Any, default: Any) -> Any:
    declared = schema.get("$schema") if isinstance(schema, dict) else None
    if isinstance(declared, str) and declared.rstrip("#") in _DRAFTS:
        return _DRAFTS[declared.rstrip("#")][0]
    return default


def ajv_validate(schema_json: str, data_json: str | None, options_json: str | None = None) -> str:
    """Validate like ajv 6 (draft-07 by default); JSON list of ajv error objects, [] when valid.

    Options: allErrors, jsonPointers, verbose, formats ({name: regex source}), unknownFormats
    (false/'ignore' to allow), schemas ({uri: schema} added with addSchema), validateSchema (false to skip
    the meta-schema check).
    """
    schema, data, options = _parse_args(schema_json, data_json, options_json)
    all_errors = bool(options.get("allErrors"))
    base = _pick_draft(schema, Draft7Validator)
    if options.get("validateSchema", True) is not False:
        problem = _ajv_schema_problem(schema, base)
        if problem:
            raise ValueError(problem)
    if options.get("format") is False:
        formats = FormatChecker(formats=())
    else:
        formats = _format_checker(_FORMAT_TESTS, options.get("formats", {}))
        if options.get("unknownFormats", True) is True:
            problem = _find_unknown_formats(schema, set(_FORMAT_TESTS) | set(options.get("formats", {})))
            if problem:
                raise ValueError(problem)
    try:
        errors, _ = _run(schema, data, base, _AJV_ORDER, formats, options, ajv=True)
    except (_RefResolutionError, referencing.exceptions.Unresolvable) as exc:
        ref = str(getattr(exc, "ref", exc))
        raise ValueError(
            f"can't resolve reference {'#' + ref if ref.startswith('/') else ref} from id #"
        ) from None
    except SchemaError as exc:
        raise ValueError(f"schema is invalid: {exc.message}") from None
    pointers, verbose = bool(options.get("jsonPointers")), bool(options.get("verbose"))
    return _js_json([_ajv_error(e, all_errors, pointers, verbose) for e in _walk_errors(errors, all_errors)])


_TV4_MESSAGES = {
    0: "Invalid type: {type} (expected {expected})",
    1: "No enum match for: {value}",
    10: 'Data does not match any schemas from "anyOf"',
    11: 'Data does not match any schemas from "oneOf"',
    12: 'Data is valid against more than one schema from "oneOf": indices {index1} and {index2}',
    13: 'Data matches schema from "not"',
    100: "Value {value} is not a multiple of {multipleOf}",
    101: "Value {value} is less than minimum {minimum}",
    102: "Value {value} is equal to exclusive minimum {minimum}",
    103: "Value {value} is greater than maximum {maximum}",
    104: "Value {value} is equal to exclusive maximum {maximum}",
    200: "String is too short ({length} chars), minimum {minimum}",
    201: "String is too long ({length} chars), maximum {maximum}",
    202: "String does not match pattern: {pattern}",
    300: "Too few properties defined ({propertyCount}), minimum {minimum}",
    301: "Too many properties defined ({propertyCount}), maximum {maximum}",
    302: "Missing required property: {key}",
    303: "Additional properties not allowed",
    304: "Dependency failed - key must exist: {missing} (due to key: {key})",
    400: "Array is too short ({length}), minimum {minimum}",
    401: "Array is too long ({length}), maximum {maximum}",
    402: "Array items are not unique (indices {match1} and {match2})",
    403: "Additional items not allowed",
    500: "Format validation failed ({message})",
}


def _tv4_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def _tv4_error(error: ValidationError, all_errors: bool) -> dict[str, Any]:
    """Translate one jsonschema error into tv4's {code, message, params, dataPath, schemaPath, subErrors}."""
    keyword, value, data = error.validator, error.validator_value, error.instance
    params: dict[str, Any] = getattr(error, "params", {})
    schema_path = [k for k in error.absolute_schema_path if k != "$ref"]
    data_path = list(error.absolute_path)
    sub_errors = None
    length = len(data) if isinstance(data, str | list | dict) else 0
    match keyword:
        case "type":
            code, out = (
                0,
                {"type": _tv4_type(data), "expected": "/".join(value) if isinstance(value, list) else value},
            )
        case "enum":
            code, out = 1, {"value": _js_json(data)}
            schema_path = [*schema_path[:-1], "type"]  # tv4 really reports /type here
        case "anyOf" | "oneOf" if params.get("passing") is None:
            code, out = (10 if keyword == "anyOf" else 11), {}
            sub_errors = [_tv4_error(e, all_errors) for e in error.context or []]
        case "oneOf":
            code, out = 12, {"index1": params["passing"][0], "index2": params["passing"][1]}
        case "not":
            code, out = 13, {}
        case "multipleOf" | "divisibleBy":
            code, out = 100, {"value": data, "multipleOf": value}
        case "minimum" | "maximum":
            exclusive = error.schema.get("exclusive" + keyword.capitalize()) is True and data == value
            code = (101 if keyword == "minimum" else 103) + exclusive
            out = {"value": data, keyword: value}
            if exclusive:
                schema_path = [*schema_path[:-1], "exclusive" + keyword.capitalize()]
        case "minLength" | "maxLength":
            code, out = (
                (200 if keyword == "minLength" else 201),
                {"length": length, keyword[:3] + "imum": value},
            )
        case "pattern":
            code, out = 202, {"pattern": value}
        case "minProperties" | "maxProperties":
            code, out = (
                (300 if keyword[1] == "i" else 301),
                {"propertyCount": length, keyword[:3] + "imum": value},
            )
        case "required":
            code, out = 302, {"key": params["missing"]}
            schema_path.append(params["index"])
        case "additionalProperties":
            code, out = 303, {"key": params["key"]}
            data_path.append(params["key"])
        case "dependencies":
            code, out = 304, {"key": params["property"], "missing": params["missing"]}
        case "minItems" | "maxItems":
            code, out = (
                (400 if keyword == "minItems" else 401),
                {"length": length, keyword[:3] + "imum": value},
            )
        case "uniqueItems":
            code, out = 402, {"match1": params["m1"], "match2": params["m2"]}
        case "additionalItems":
            code, out = 403, {}
            data_path.append(len(error.schema.get("items", [])))
        case _:
            code, out = 500, {"message": error.message}
    message = _TV4_MESSAGES[code].format(
        **{k: _js_num(v) if isinstance(v, int | float) else v for k, v in out.items()}
    )
    return {
        "code": code,
        "message": message,
        "params": out,
        "dataPath": "".join("/" + _pointer_segment(k) for k in data_path),
        "schemaPath": "".join("/" + _pointer_segment(k) for k in schema_path),
        "subErrors": sub_errors,
    }


def tv4_validate(schema_json: str, data_json: str | None, options_json: str | None = None) -> str:
    """Validate like tv4 (draft-04, unknown $refs reported as missing, formats only if added).

    Returns JSON {"errors": [...tv4 errors], "missing": [uris]}. Options: allErrors, formats, schemas.
    """
    schema, data, options = _parse_args(schema_json, data_json, options_json)
    all_errors = bool(options.get("allErrors"))
    formats = _format_checker((), options.get("formats", {}))
    errors, missing = _run(
        schema, data, Draft4Validator, _TV4_ORDER, formats, {**options, "missingRefsOk": True}
    )
    if not all_errors:
        errors = errors[:1]
    return _js_json({"errors": [_tv4_error(e, all_errors) for e in errors], "missing": missing})


HOST_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "hash": hash_hex,
    "hmac": hmac_hex,
    "pbkdf2": pbkdf2_hex,
    "random_hex": random_hex,
    "b64encode": b64encode,
    "b64decode": b64decode,
    "uuid4": uuid4,
    "xml2json": xml_to_json,
    "ajv_validate": ajv_validate,
    "tv4_validate": tv4_validate,
}
