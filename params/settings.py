"""Settings declared once, as dataclass fields, and everything derived from the declaration.

A setting is a field of a frozen dataclass whose default comes from :func:`setting`. The field's
metadata holds a :class:`Setting`: what the value is (a number, a choice, a grid of numbers), the
values allowed, the default and one line of help. From that one declaration come

- the class's validation (:func:`validate_fields`, called from ``__post_init__``), with messages
  of the one shape of :mod:`params.validation`;
- the command-line flags of every command that takes the setting (:func:`add_arguments`): flag
  name, parser, default, choices and help, with the same message for a bad value;
- docs/cli.md's flag tables, which are rendered from those parsers.

In the spirit of scikit-learn's ``_parameter_constraints``: constraints are data, and one function
checks them.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from params.argtypes import bounded, grid, number_list
from params.validation import Interval, ParameterError, flag_name

__all__ = [
    "Setting",
    "add_arguments",
    "declared",
    "setting",
    "settings_from_arguments",
    "validate_fields",
]

#: Key of a field's metadata under which its :class:`Setting` is stored.
_METADATA_KEY = "setting"


@dataclass(frozen=True)
class Setting:
    """What one setting holds and allows.

    Parameters
    ----------
    kind : {float, int, str}
        The type of the value (of each value, for a grid or a list).
    help : str
        One line for ``--help`` and docs/cli.md; a list's choices are appended.
    interval : Interval, optional
        The allowed range of a number.
    choices : tuple of str, optional
        The allowed strings (a registry's keys); of each item, for a list.
    spacing : {"log", "linear"}, optional
        Makes the setting a grid: a non-empty tuple of numbers, stored sorted and without
        duplicates, given on the command line as ``LO:HI[:N]`` (``N`` values with this spacing)
        or a comma list.
    many : bool, default False
        Makes the setting a list: a non-empty tuple of non-empty str (or, of a ``kind`` float
        or int, of numbers in ``interval``), stored in the order given without duplicates,
        given on the command line as a comma list.
    accepts : callable, optional
        Which items a list takes (``str -> bool``), beyond being non-empty; ``form`` says which
        in words.
    form : str, optional
        The items ``accepts`` takes, in words, for messages: ``"data set names"``.
    max_length : int, optional
        Most values a grid may hold; checked before a ``LO:HI:N`` grid is made.
    optional : bool, default False
        None is allowed too; ``none_means`` says what it stands for.
    none_means : str, optional
        The meaning of None, for the help text.
    metavar : str, optional
        The value's name in ``--help`` (default: the setting's name in capitals).
    default_text : str, optional
        A grid's or a list's default as the command line writes it (``LO:HI:N`` or a comma
        list); the declared default is this text parsed, so the API and every command agree on
        it.
    """

    kind: type
    help: str
    interval: Interval | None = None
    choices: tuple[str, ...] | None = None
    spacing: str | None = None
    many: bool = False
    accepts: Callable[[str], bool] | None = None
    form: str | None = None
    max_length: int | None = None
    optional: bool = False
    none_means: str | None = None
    metavar: str | None = None
    default_text: str | None = None

    def allowed(self) -> str:
        """What the value may be, in words: ``"a float in the range (0, 1)"``."""
        if self.many and self.choices is not None:
            text = f"a non-empty list of names from {_quoted(self.choices)}"
        elif self.many and self.form is not None:
            text = f"a non-empty list of {self.form}"
        elif self.many and self.kind is str:
            text = "a non-empty list of non-empty str"
        elif self.many:
            text = f"a non-empty list of {self.kind.__name__}s in the range {self.interval}"
        elif self.choices is not None:
            text = f"one of {_quoted(self.choices)}"
        elif self.spacing is not None:
            most = f"at most {self.max_length} " if self.max_length is not None else ""
            text = f"a non-empty list of {most}floats in the range {self.interval}"
        elif self.kind is str:
            text = "a non-empty str"
        else:
            noun = "an int" if self.kind is int else "a float"
            text = f"{noun} in the range {self.interval}"
        return f"{text} or None" if self.optional else text

    def validate(self, value: Any, name: str, owner: str) -> Any:
        """``value`` in its stored form (int, float, str, a tuple of them, or None).

        Raises
        ------
        ParameterError
            If the value is not allowed.
        """
        if value is None and self.optional:
            return None
        if self.many:
            return self._validate_list(value, name, owner)
        if self.choices is not None:
            if not isinstance(value, str) or value not in self.choices:
                raise ParameterError(name, owner, self.allowed(), value)
            return value
        if self.spacing is not None:
            return self._validate_grid(value, name, owner)
        if self.kind is str:
            if not isinstance(value, str) or not value:
                raise ParameterError(name, owner, self.allowed(), value)
            return value
        return self._validate_number(value, name, owner)

    def _validate_number(self, value: Any, name: str, owner: str) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise ParameterError(name, owner, self.allowed(), value)
        if self.kind is int and not isinstance(value, int | np.integer):
            raise ParameterError(name, owner, self.allowed(), value)
        number = int(value) if isinstance(value, int | np.integer) else float(value)
        if not self.interval.contains(number):
            raise ParameterError(name, owner, self.allowed(), number)
        return self.kind(number)

    def _validate_grid(self, value: Any, name: str, owner: str) -> tuple[float, ...]:
        if isinstance(value, str | bytes):
            raise ParameterError(name, owner, self.allowed(), value)
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise ParameterError(name, owner, self.allowed(), value) from None
        too_long = self.max_length is not None and array.size > self.max_length
        if array.ndim > 1 or array.size == 0 or too_long:
            raise ParameterError(name, owner, self.allowed(), value)
        array = np.atleast_1d(array)
        bad = ~self.interval.contains(array)
        if np.any(bad):
            raise ParameterError(name, owner, self.allowed(), float(array[bad][0]))
        return tuple(float(v) for v in np.unique(array))

    def _validate_list(self, value: Any, name: str, owner: str) -> tuple[Any, ...]:
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            raise ParameterError(name, owner, self.allowed(), value)
        items = tuple(value)
        if not items:
            raise ParameterError(name, owner, self.allowed(), value)
        if self.kind is not str:
            return tuple(dict.fromkeys(self._validate_number(item, name, owner) for item in items))
        for item in items:
            if not isinstance(item, str) or not item:
                raise ParameterError(name, owner, self.allowed(), item)
            if self.choices is not None and item not in self.choices:
                raise ParameterError(name, owner, self.allowed(), item)
            if self.accepts is not None and not self.accepts(item):
                raise ParameterError(name, owner, self.allowed(), item)
        return tuple(dict.fromkeys(items))

    def parser(self, name: str) -> Callable[[str], Any]:
        """The ``argparse`` type of the setting's flag: text in, validated value out.

        A bad value raises :class:`argparse.ArgumentTypeError` worded like the API's error.
        """

        def parse(text: str) -> Any:
            if self.spacing is not None:
                most = np.inf if self.max_length is None else self.max_length
                values = grid(self.interval, spacing=self.spacing, max_count=most)(text)
            elif self.many and self.kind is not str:
                values = number_list(self.interval, self.kind)(text)
            elif self.many:
                values = [item.strip() for item in text.split(",")]
            elif self.kind is str:
                values = text
            else:
                values = bounded(self.interval, self.kind)(text)
            try:
                return self.validate(values, name, flag_name(name))
            except ParameterError as error:
                raise argparse.ArgumentTypeError(
                    f"must be {error.allowed}. Got {text!r} instead."
                ) from None

        parse.__name__ = name
        return parse

    def help_text(self) -> str:
        """The help line, with what None means where it is allowed and a list's choices."""
        if self.optional and self.none_means:
            return f"{self.help}; None: {self.none_means}"
        if self.many and self.choices is not None:
            return f"{self.help}, comma list of {', '.join(self.choices)}"
        return self.help


def setting(default: Any, kind: type, help: str, **details: Any) -> Any:
    """A dataclass field that declares a setting (see :class:`Setting` for ``details``).

    A grid's or a list's ``default`` is written as on the command line (``"1:316.227766:15"``,
    ``"a,b"``); the field's default is that text parsed (or None, for an optional one).

    Returns
    -------
    dataclasses.Field
        With the default and the :class:`Setting` in its metadata.
    """
    if (details.get("spacing") is not None or details.get("many")) and default is not None:
        declaration = Setting(kind=kind, help=help, default_text=default, **details)
        default = declaration.parser("default")(default)
    else:
        declaration = Setting(kind=kind, help=help, **details)
    return dataclasses.field(default=default, metadata={_METADATA_KEY: declaration})


def _quoted(choices: Iterable[str]) -> str:
    return ", ".join(repr(choice) for choice in choices)


def declared(cls: type) -> dict[str, Setting]:
    """The settings a dataclass declares, by field name, in field order."""
    return {
        field.name: field.metadata[_METADATA_KEY]
        for field in dataclasses.fields(cls)
        if _METADATA_KEY in field.metadata
    }


def validate_fields(instance: Any) -> None:
    """Validate every declared field of a frozen dataclass instance and store its checked value.

    Raises
    ------
    ParameterError
        Naming the first bad field, the class and what is allowed.
    """
    owner = type(instance).__name__
    for name, declaration in declared(type(instance)).items():
        value = declaration.validate(getattr(instance, name), name, owner)
        object.__setattr__(instance, name, value)


def add_arguments(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    cls: type,
    names: Iterable[str],
    *,
    defaults: Mapping[str, Any] | None = None,
) -> None:
    """Add the flags of the settings ``names`` that ``cls`` declares.

    Parameters
    ----------
    parser : ArgumentParser or argument group
        Where the flags go.
    cls : dataclass type
        Declares the settings (:func:`setting` fields).
    names : iterable of str
        The settings to add, in order.
    defaults : mapping, optional
        A command's own defaults, where it differs from the class on purpose.

    Each flag is ``--<name with dashes>``; its default is the class's (or ``defaults``'), shown
    in the help.
    """
    settings = declared(cls)
    fields = {field.name: field for field in dataclasses.fields(cls)}
    defaults = defaults or {}
    for name in names:
        declaration = settings[name]
        default = defaults.get(name, fields[name].default)
        if name not in defaults and declaration.default_text is not None:
            default = declaration.default_text
        options: dict[str, Any] = {"default": default, "help": declaration.help_text()}
        if declaration.choices is not None and not declaration.many:
            options["choices"] = declaration.choices
        else:
            options["type"] = declaration.parser(name)
            options["metavar"] = declaration.metavar or name.upper()
        parser.add_argument(flag_name(name), **options)


def settings_from_arguments(cls: type, args: argparse.Namespace) -> dict[str, Any]:
    """The values of the settings of ``cls`` that ``args`` holds, by name."""
    return {name: getattr(args, name) for name in declared(cls) if hasattr(args, name)}
