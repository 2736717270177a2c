"""The AWS Organizations service model (as shipped with botocore) and a checker
that holds raw AWS JSON 1.1 responses to it.

`check_response` is the single place where "is this response something a real
SDK could have received from AWS?" is decided. It looks at the raw bytes, not at
botocore's parsed dict, because botocore silently drops unknown members and
tolerates some type mistakes that stricter SDKs (Go, Rust, Java) reject.
"""

import gzip
import json
import math
import os
import re

import botocore

MODEL_DIR = os.path.join(
    os.path.dirname(botocore.__file__), "data", "organizations", "2016-11-28"
)


def _load_model():
    with gzip.open(os.path.join(MODEL_DIR, "service-2.json.gz"), "rt") as f:
        return json.load(f)


MODEL = _load_model()
SHAPES = MODEL["shapes"]
OPERATIONS = MODEL["operations"]
TARGET_PREFIX = MODEL["metadata"]["targetPrefix"]  # AWSOrganizationsV20161128
JSON_CONTENT_TYPE = "application/x-amz-json-" + MODEL["metadata"]["jsonVersion"]

# Error codes that the AWS front end may answer for any operation, besides the
# ones each operation declares in the model. ValidationException is
# deliberately absent: Organizations reports bad input as InvalidInputException.
GENERIC_ERRORS = {
    "UnknownOperationException",
    "SerializationException",
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "RequestExpired",
    "ThrottlingException",
    "AccessDeniedException",
}

# The model marks (almost) no output member as required, yet AWS always
# returns these, and clients dereference them without checking (Terraform's
# provider, inventory scripts). A missing one is a compatibility defect.
ALWAYS_PRESENT = {
    "Organization": [
        "Id",
        "Arn",
        "FeatureSet",
        "MasterAccountArn",
        "MasterAccountId",
        "MasterAccountEmail",
        "AvailablePolicyTypes",
    ],
    "Root": ["Id", "Arn", "Name", "PolicyTypes"],
    "OrganizationalUnit": ["Id", "Arn", "Name"],
    "Account": ["Id", "Arn", "Email", "Name", "Status", "JoinedMethod", "JoinedTimestamp"],
    "CreateAccountStatus": ["Id", "AccountName", "State", "RequestedTimestamp"],
    "Child": ["Id", "Type"],
    "Parent": ["Id", "Type"],
    "PolicyTypeSummary": ["Type", "Status"],
}

# Epoch-second bounds for a plausible timestamp (2000-01-01 .. 2100-01-01).
_TS_MIN, _TS_MAX = 946684800, 4102444800


def _translate_pattern(pattern):
    """Model patterns are ECMAScript-flavoured. Python's `re` lacks \\p{..};
    inside the model they only appear in character classes, where \\w covers
    letters and digits (\\p{L}, \\p{N}) and \\s covers separators (\\p{Z}).
    The translation is slightly looser than the original (\\s also admits
    tab/newline), never stricter."""
    return (
        pattern.replace(r"\p{L}", r"\w").replace(r"\p{N}", r"\w").replace(r"\p{Z}", r"\s")
    )


_PATTERN_CACHE = {}


def pattern_matcher(shape_name):
    """A search function for the shape's pattern, or None if it has none or
    it cannot be compiled. Smithy patterns are not implicitly anchored, so
    they are applied with search semantics, as the SDKs do."""
    if shape_name not in _PATTERN_CACHE:
        pattern = SHAPES[shape_name].get("pattern")
        matcher = None
        if pattern is not None:
            try:
                matcher = re.compile(_translate_pattern(pattern)).search
            except re.error:
                matcher = None
        _PATTERN_CACHE[shape_name] = matcher
    return _PATTERN_CACHE[shape_name]


def _short(value, limit=80):
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def validate_value(shape_name, value, path, problems):
    """Append to `problems` every way in which `value` (decoded JSON) breaks
    the model shape `shape_name`."""
    shape = SHAPES[shape_name]
    kind = shape["type"]
    if value is None:
        problems.append(f"{path}: null; AWS omits an absent member instead of sending null")
        return
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object ({shape_name}), got {_short(value)}")
            return
        members = shape.get("members", {})
        for key, member_value in value.items():
            if key not in members:
                problems.append(
                    f"{path}.{key}: not a member of {shape_name} "
                    f"(members: {', '.join(sorted(members))})"
                )
                continue
            validate_value(members[key]["shape"], member_value, f"{path}.{key}", problems)
        for key in shape.get("required", []):
            if key not in value:
                problems.append(f"{path}.{key}: required member of {shape_name} is missing")
        for key in ALWAYS_PRESENT.get(shape_name, []):
            if key not in value:
                problems.append(
                    f"{path}.{key}: missing; AWS always returns {shape_name}.{key}"
                )
        _check_consistency(shape_name, value, path, problems)
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list ({shape_name}), got {_short(value)}")
            return
        _check_bounds(shape, len(value), path, "items", problems)
        for i, item in enumerate(value):
            validate_value(shape["member"]["shape"], item, f"{path}[{i}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object map ({shape_name}), got {_short(value)}")
            return
        for key, item in value.items():
            validate_value(shape["key"]["shape"], key, f"{path}<key>", problems)
            validate_value(shape["value"]["shape"], item, f"{path}[{key!r}]", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string ({shape_name}), got {_short(value)}")
            return
        if "enum" in shape and value not in shape["enum"]:
            problems.append(
                f"{path}: {value!r} is not a value of enum {shape_name} ({', '.join(shape['enum'])})"
            )
        _check_bounds(shape, len(value), path, "characters", problems)
        matcher = pattern_matcher(shape_name)
        if matcher is not None and not matcher(value):
            problems.append(
                f"{path}: {value!r} does not match the pattern of {shape_name}: {shape['pattern']}"
            )
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected an integer ({shape_name}), got {_short(value)}")
            return
        if "min" in shape and value < shape["min"]:
            problems.append(f"{path}: {value} is below the minimum {shape['min']} of {shape_name}")
        if "max" in shape and value > shape["max"]:
            problems.append(f"{path}: {value} is above the maximum {shape['max']} of {shape_name}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected a boolean ({shape_name}), got {_short(value)}")
    elif kind == "timestamp":
        # JSON 1.1 sends timestamps as epoch seconds (a JSON number). Strict
        # SDKs (Go v2, Rust) refuse a string here even though botocore copes.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(
                f"{path}: timestamp must be a JSON number of epoch seconds, got {_short(value)}"
            )
        elif not math.isfinite(value) or not (_TS_MIN <= value <= _TS_MAX):
            problems.append(f"{path}: implausible epoch-seconds timestamp {value}")
    else:  # blob, double, float: not used by this model
        pass


def _check_bounds(shape, size, path, unit, problems):
    if "min" in shape and size < shape["min"]:
        problems.append(f"{path}: {size} {unit}, fewer than the minimum {shape['min']}")
    if "max" in shape and size > shape["max"]:
        problems.append(f"{path}: {size} {unit}, more than the maximum {shape['max']}")


def _check_consistency(shape_name, value, path, problems):
    """Cross-member facts every AWS response obeys."""
    if shape_name == "CreateAccountStatus":
        state = value.get("State")
        if state == "SUCCEEDED":
            for key in ("AccountId", "CompletedTimestamp"):
                if key not in value:
                    problems.append(f"{path}.{key}: missing although State is SUCCEEDED")
        if state == "FAILED" and "FailureReason" not in value:
            problems.append(f"{path}.FailureReason: missing although State is FAILED")
        if state == "IN_PROGRESS" and "AccountId" in value:
            problems.append(f"{path}.AccountId: present although State is IN_PROGRESS")
    if shape_name == "Account":
        arn, ident = value.get("Arn"), value.get("Id")
        if isinstance(arn, str) and isinstance(ident, str) and not arn.endswith("/" + ident):
            problems.append(f"{path}.Arn: {arn!r} does not end with the account Id {ident!r}")
    if shape_name in ("OrganizationalUnit", "Root"):
        arn, ident = value.get("Arn"), value.get("Id")
        if isinstance(arn, str) and isinstance(ident, str) and not arn.endswith("/" + ident):
            problems.append(f"{path}.Arn: {arn!r} does not end with the Id {ident!r}")


def header(headers, name):
    """Case-insensitive header lookup over a mapping or a list of pairs."""
    items = headers.items() if hasattr(headers, "items") else headers
    for key, value in items:
        if key.lower() == name.lower():
            return value
    return None


def error_code(body_obj):
    """The error code from a JSON 1.1 error body, as the SDKs read it:
    `__type` with any `namespace#` prefix and any `:suffix` removed."""
    raw = body_obj.get("__type") if isinstance(body_obj, dict) else None
    if not isinstance(raw, str):
        return None
    return raw.split("#")[-1].split(":")[0]


def check_response(operation, status, headers, body):
    """Every way in which an HTTP response to `operation` differs from what
    AWS could send. `body` is the raw bytes. Returns a list of strings."""
    problems = []
    request_id = header(headers, "x-amzn-RequestId")
    if not request_id:
        problems.append("response has no x-amzn-RequestId header")
    content_type = header(headers, "Content-Type") or ""
    if body and content_type.split(";")[0].strip().lower() != JSON_CONTENT_TYPE:
        problems.append(f"Content-Type is {content_type!r}, expected {JSON_CONTENT_TYPE!r}")

    try:
        decoded = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError) as exc:
        problems.append(f"body is not valid UTF-8 JSON: {exc}")
        return problems

    op_model = OPERATIONS.get(operation)
    if 200 <= status < 300:
        if status != 200:
            problems.append(f"success status is {status}; AWS JSON 1.1 answers 200")
        output = op_model.get("output") if op_model else None
        if output is None:
            if decoded not in (None, {}):
                problems.append(f"{operation} has no output shape but the body is {_short(decoded)}")
            return problems
        if not isinstance(decoded, dict):
            problems.append(f"body must be a JSON object, got {_short(decoded)}")
            return problems
        validate_value(output["shape"], decoded, operation + "Response", problems)
        # An output that wraps a single result (Organization, Accounts, ...)
        # always carries it; a list result is sent even when empty.
        results = [m for m in SHAPES[output["shape"]].get("members", {}) if m != "NextToken"]
        if len(results) == 1 and results[0] not in decoded:
            problems.append(f"{operation}Response.{results[0]}: missing from a successful response")
        return problems

    if status < 400 or status > 599:
        problems.append(f"error status {status} is neither 4xx nor 5xx")
    if not isinstance(decoded, dict):
        problems.append(f"error body must be a JSON object, got {_short(decoded)}")
        return problems
    code = error_code(decoded)
    if code is None:
        problems.append("error body has no string __type")
        return problems
    declared = {e["shape"] for e in op_model.get("errors", [])} if op_model else set()
    modeled = code in SHAPES and SHAPES[code].get("exception")
    if op_model is not None and code not in declared and code not in GENERIC_ERRORS:
        problems.append(
            f"error code {code} is not one {operation} can raise per the model "
            f"({', '.join(sorted(declared))})"
        )
    if modeled:
        if not isinstance(decoded.get("Message"), str):
            problems.append(f"{code} body lacks a string Message")
        members = SHAPES[code].get("members", {})
        for key, value in decoded.items():
            if key == "__type":
                continue
            if key not in members:
                problems.append(f"{code}.{key}: not a member of the error shape")
                continue
            validate_value(members[key]["shape"], value, f"{code}.{key}", problems)
        for key in ("Reason",):
            if key in members and key not in decoded:
                problems.append(f"{code}.Reason: missing; AWS always explains this error with a Reason")
    elif not isinstance(decoded.get("Message", decoded.get("message")), str):
        problems.append(f"{code} body lacks a string Message")
    if status >= 500:
        problems.append(f"server error {status} ({code}): a request must never crash the server")
    elif code == "ServiceException":
        problems.append(f"ServiceException with client status {status}")
    return problems
