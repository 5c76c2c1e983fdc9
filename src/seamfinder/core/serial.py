"""Frozen dataclasses to JSON-ready data and back, driven by their annotations.

Records become JSON objects keyed by field name, tuples become arrays, enums their value.
Decoding is strict: a missing or unknown key, a value of the wrong type or a literal
outside its choices raises (``ValueError``, ``KeyError`` or ``TypeError``), which caches
treat as a miss. Decoders are compiled once per class. Only JSON is ever read back (never
pickle), because caches live inside the analysed repository.

Encoders are compiled once per class too, from the same annotations: a run encodes
hundreds of thousands of records (every fact of a cold run, every value of a remembered
report), and asking :func:`dataclasses.fields` and dispatching on the type of every value
cost more than the JSON encoder itself. A value that does not match its annotation falls
back to the dispatching encoder, so the output never depends on which path was taken.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import fields, is_dataclass
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

T = TypeVar("T")
_Decoder = typing.Callable[[Any], Any]
_Encoder = typing.Callable[[Any], Any]
_DECODERS: dict[type[Any], _Decoder] = {}
_ENCODERS: dict[type[Any], _Encoder] = {}


def encode(value: Any) -> Any:
    """JSON-ready data for a dataclass value (and the values it holds)."""

    if is_dataclass(value) and not isinstance(value, type):
        return _encoder_for(type(value))(value)
    return _encode_any(value)


def _encode_any(value: Any) -> Any:
    """The dispatching encoder: for values without (or against) an annotation."""

    if isinstance(value, str | int | float) or value is None:  # bool is an int
        return value
    if isinstance(value, tuple):
        return [_encode_any(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return _encoder_for(type(value))(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


# Values that are JSON as they are (``bool`` and ``int`` subclasses such as enums are not:
# they go through :func:`_encode_any`, which gives the same data).
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _encoder_for(cls: type[Any]) -> _Encoder:
    encoder = _ENCODERS.get(cls)
    if encoder is None:
        hints = typing.get_type_hints(cls)
        spec = tuple((f.name, _encoder_of_type(hints[f.name])) for f in fields(cls))
        plain = _PLAIN

        def encode_record(value: Any) -> Any:
            if type(value) is not cls:
                return _encode_any(value)
            out = {}
            for name, conv in spec:
                item = getattr(value, name)
                out[name] = item if type(item) in plain else conv(item)
            return out

        encoder = _ENCODERS[cls] = encode_record
    return encoder


def _encoder_of_type(tp: Any) -> _Encoder:
    """An encoder that is fast for values of annotation ``tp`` and right for any value."""

    origin = get_origin(tp)
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(tp) if a is not type(None)]
        # None is plain; the one other type decides.
        return _encoder_of_type(args[0]) if len(args) == 1 else _encode_any
    if origin is tuple:
        items = get_args(tp)
        if len(items) == 2 and items[1] is Ellipsis:
            return _tuple_encoder(_encoder_of_type(items[0]))
        return _encode_any
    if isinstance(tp, type) and is_dataclass(tp):
        # Resolved lazily, like decoders: records refer to each other.
        return lambda value: _encoder_for(tp)(value)  # noqa: PLW0108
    return _encode_any


def _tuple_encoder(item: _Encoder) -> _Encoder:
    plain = _PLAIN

    def encode_tuple(value: Any) -> Any:
        if type(value) is not tuple:
            return _encode_any(value)
        return [v if type(v) in plain else item(v) for v in value]

    return encode_tuple


def decode(cls: type[T], data: Any) -> T:
    """The inverse of :func:`encode` for a value of dataclass ``cls``."""

    result = _decoder_for(cls)(data)
    assert isinstance(result, cls)
    return result


def _decoder_for(cls: type[Any]) -> _Decoder:
    decoder = _DECODERS.get(cls)
    if decoder is None:
        hints = typing.get_type_hints(cls)
        spec = tuple((f.name, _decoder_of_type(hints[f.name])) for f in fields(cls))
        names = frozenset(name for name, _ in spec)

        def decode_record(data: Any) -> Any:
            if type(data) is not dict:
                raise TypeError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
            if len(data) != len(spec) or not names.issuperset(data):
                unknown = sorted(set(data) - names)
                missing = sorted(names - set(data))
                raise ValueError(f"{cls.__name__}: unknown keys {unknown}, missing {missing}")
            return cls(*[dec(data[name]) for name, dec in spec])

        decoder = _DECODERS[cls] = decode_record
    return decoder


def _decoder_of_type(tp: Any) -> _Decoder:
    origin = get_origin(tp)
    if tp is str or tp is int or tp is bool:
        return _exact(tp)
    if tp is float:
        return _number
    if origin is tuple:
        return _tuple_decoder(get_args(tp))
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported union {tp}")
        inner = _decoder_of_type(args[0])
        return lambda data: None if data is None else inner(data)
    if origin is Literal:
        choices = frozenset(get_args(tp))

        def decode_literal(data: Any) -> Any:
            if type(data) is not str or data not in choices:
                raise ValueError(f"{data!r} is not one of {sorted(choices)}")
            return data

        return decode_literal
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if isinstance(tp, type) and is_dataclass(tp):
        # Resolved lazily: records refer to each other, and a class is complete only once
        # its own decoder exists.
        return lambda data: _decoder_for(tp)(data)  # noqa: PLW0108
    raise TypeError(f"unsupported field type {tp}")


def _tuple_decoder(args: tuple[Any, ...]) -> _Decoder:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _decoder_of_type(args[0])

        def decode_tuple(data: Any) -> tuple[Any, ...]:
            if type(data) is not list:
                raise TypeError(f"expected an array, got {type(data).__name__}")
            return tuple([item(v) for v in data])

        return decode_tuple
    items = [_decoder_of_type(arg) for arg in args]

    def decode_fixed(data: Any) -> tuple[Any, ...]:
        if type(data) is not list or len(data) != len(items):
            raise TypeError(f"expected an array of {len(items)}")
        return tuple(dec(v) for dec, v in zip(items, data, strict=True))

    return decode_fixed


def _exact(tp: type[Any]) -> _Decoder:
    def decode_exact(data: Any) -> Any:
        if type(data) is not tp:
            raise TypeError(f"expected {tp.__name__}, got {type(data).__name__}")
        return data

    return decode_exact


def _number(data: Any) -> float:
    # JSON writes 2.0 as 2.0, but an int where a float is expected is still a number.
    if type(data) is not float and type(data) is not int:
        raise TypeError(f"expected a number, got {type(data).__name__}")
    return float(data)
