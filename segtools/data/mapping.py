"""The YAML column mapping: read safely, checked key by key.

A mapping file has one section per table (``customers``, ``transactions``, ``leads``)::

    tables:
      transactions:
        file_options: {delimiter: ";", decimal: ",", date_format: "%d-%m-%Y", encoding: cp1252}
        duplicates: error          # exact repeated rows without transaction_id: error | drop | keep
        future_dates: error        # rows dated after the analysis date: error | exclude (left out, counted)
        columns: {Klantnr: customer_id, Datum: date, Bedrag: amount}
      leads:
        columns: {Lead: lead_id, Gewonnen: converted}
        post_outcome: [Status, Reden verloren]   # columns known only after the outcome

The file options (``delimiter``, ``encoding``, ``decimal``, ``date_format``, ``refunds``,
``duplicates``, ``future_dates``) may stand in ``file_options`` or directly under the table.

Safety: the file is refused before parsing when it is over 64 KB or not UTF-8 text; YAML
anchors and aliases (``&a`` / ``*a``, which let a few hundred bytes expand to gigabytes),
duplicate keys and tags are refused; ``yes``/``no``/``on``/``off`` stay text (a column may be
called ``No``). Every shape error names the mapping file and the key.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "m.yml"
>>> _ = path.write_text("tables:\\n  transaction:\\n    columns: {Klant: customer_id}\\n")
>>> try:
...     load_mapping(path)
... except Exception as err:
...     print(err)
mapping file m.yml: unknown table 'transaction' under 'tables' (did you mean 'transactions'?); the tables are customers, transactions, leads
"""

from __future__ import annotations

import codecs
import difflib
from pathlib import Path

from segtools.errors import ValidationError

TABLES = ("customers", "transactions", "leads")
FILE_OPTIONS = ("delimiter", "encoding", "decimal", "date_format", "refunds", "duplicates", "future_dates")
TABLE_KEYS = ("columns", "file_options", "post_outcome", *FILE_OPTIONS)
MAX_BYTES = 64 * 1024
CHOICES = {"decimal": (".", ","), "refunds": ("allow", "matched", "error"), "duplicates": ("error", "drop", "keep"),
           "future_dates": ("error", "exclude")}
DELIMITER_WORDS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def _loader():
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """SafeLoader that refuses anchors, aliases and duplicate keys, and keeps yes/no as text."""

        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise yaml.MarkedYAMLError("while reading the mapping", None,
                                           "YAML anchors and aliases (&name, *name) are not allowed; write the "
                                           "values out", event.start_mark)
            return super().compose_node(parent, index)

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (list, dict)):
                    raise yaml.MarkedYAMLError(None, None, "a key must be a plain name", key_node.start_mark)
                if key in seen:
                    raise yaml.MarkedYAMLError(None, None, f"the key {key!r} appears twice", key_node.start_mark)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    NoAliasLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return NoAliasLoader


def load_mapping(path) -> dict:
    """Read a YAML mapping file safely and check it.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    dict
        ``{table: {"columns": {...}, option: value, ..., "post_outcome": [...]}}``.

    Raises
    ------
    ValidationError
        Naming the mapping file and the key of every shape problem.
    """
    import yaml

    path = Path(path)
    where = f"mapping file {path.name}"
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise ValidationError(f"cannot read the {where}: {err.strerror or err}") from None
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"{where} is over {MAX_BYTES // 1024} KB: a column mapping is a few lines of YAML")
    if b"\x00" in raw:
        raise ValidationError(f"{where} is not a text file (it holds NUL bytes): give the YAML mapping file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValidationError(f"{where} is not UTF-8 text (byte 0x{raw[err.start]:02X} at position {err.start}; "
                              "Latin-1 or Windows-1252?): save it as UTF-8") from None
    try:
        data = yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        raise ValidationError(f"{where} is not valid YAML: {' '.join(str(err).split())}") from None
    except RecursionError:
        raise ValidationError(f"{where} is nested too deeply to be a column mapping") from None
    if data is None:
        raise ValidationError(f"{where} is empty: expected a 'tables:' section with one entry per table")
    if not isinstance(data, dict):
        raise ValidationError(f"{where}: the top level must be 'tables:' with one entry per table, "
                              f"not a {_kind(data)}")
    if "tables" in data:
        extra = [k for k in data if k != "tables"]
        if extra:
            raise ValidationError(f"{where}: unknown top-level key {extra[0]!r}{_guess(extra[0], ['tables'])}; "
                                  "only 'tables' is allowed")
        tables, prefix = data["tables"], "tables"
        if not isinstance(tables, dict):
            raise ValidationError(f"{where}: 'tables' must hold one entry per table, not a {_kind(tables)}")
    else:
        tables, prefix = data, ""
    out = {}
    for table, section in tables.items():
        key = f"{prefix}.{table}" if prefix else str(table)
        if table not in TABLES:
            raise ValidationError(f"{where}: unknown table {table!r}" + (f" under {prefix!r}" if prefix else "")
                                  + f"{_guess(table, TABLES if prefix else (*TABLES, 'tables'))}; the tables are {', '.join(TABLES)}")
        out[table] = check_section(section, where, key)
    return out


def _kind(value) -> str:
    return {"str": "text", "list": "list", "dict": "mapping", "int": "number", "float": "number"}.get(
        type(value).__name__, type(value).__name__)


def _guess(word, choices) -> str:
    close = difflib.get_close_matches(str(word).lower(), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_section(section, where: str, key: str) -> dict:
    """One table's mapping, checked and flattened.

    Parameters
    ----------
    section : dict
        ``{"columns": ..., "file_options": ..., option: ..., "post_outcome": [...]}``.
    where : str
        Names the mapping in messages (``mapping file m.yml``).
    key : str
        Names the section (``tables.leads``).

    Returns
    -------
    dict
        ``{"columns": {...}, option: value, ..., "post_outcome": [...]}``.
    """
    if section is None:
        section = {}
    if not isinstance(section, dict):
        raise ValidationError(f"{where}: {key!r} must be a mapping with 'columns:' (and file options), "
                              f"not a {_kind(section)}")
    section = dict(section)
    options = section.pop("file_options", None) or {}
    if not isinstance(options, dict):
        raise ValidationError(f"{where}: '{key}.file_options' must be a mapping such as {{delimiter: ';'}}, "
                              f"not a {_kind(options)}")
    for name in options:
        if name not in FILE_OPTIONS:
            raise ValidationError(f"{where}: unknown file option '{key}.file_options.{name}'"
                                  f"{_guess(name, FILE_OPTIONS)}; the options are {', '.join(FILE_OPTIONS)}")
    unknown = [k for k in section if k not in TABLE_KEYS]
    if unknown:
        raise ValidationError(f"{where}: unknown key '{key}.{unknown[0]}'{_guess(unknown[0], TABLE_KEYS)}; "
                              f"the keys are {', '.join(TABLE_KEYS)}")
    for name in FILE_OPTIONS:
        if name in section:
            if name in options:
                raise ValidationError(f"{where}: '{key}.{name}' is given twice (also in file_options)")
            options[name] = section.pop(name)
    out = {"columns": _columns(section.pop("columns", None), where, f"{key}.columns")}
    for name, value in options.items():
        out[name] = check_option(name, value, where, f"{key}.file_options.{name}")
    if "post_outcome" in section:
        out["post_outcome"] = _names(section.pop("post_outcome"), where, f"{key}.post_outcome")
    return out


def _columns(columns, where, key) -> dict:
    if columns is None:
        return {}
    if not isinstance(columns, dict):
        raise ValidationError(f"{where}: {key!r} must map export names to contract names, one 'Their name: "
                              f"contract_name' per line, not a {_kind(columns)}")
    out, targets = {}, {}
    for theirs, ours in columns.items():
        if not isinstance(ours, str) or not ours.strip() or isinstance(theirs, (list, dict)) or theirs is None:
            raise ValidationError(f"{where}: '{key}.{theirs}' must map to a column name, not {ours!r}")
        ours = ours.strip()
        if ours in targets:
            raise ValidationError(f"{where}: '{key}': columns {targets[ours]!r} and {str(theirs)!r} both map to "
                                  f"{ours!r}")
        targets[ours] = str(theirs)
        out[str(theirs)] = ours
    return out


def _names(value, where, key) -> list:
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and str(v).strip() for v in value):
        raise ValidationError(f"{where}: {key!r} must be a list of column names, e.g. [status, lost_reason]")
    return [str(v).strip() for v in value]


def check_option(name: str, value, where: str, key: str):
    """One file option's value, checked (and ``tab`` turned into a tab character).

    Parameters
    ----------
    name : str
        One of :data:`FILE_OPTIONS`.
    value
    where, key : str
        The mapping and the key, for messages.

    Returns
    -------
    object
        The value to use.
    """
    from segtools.data.parsing import date_format_problem

    if name in CHOICES:
        if value not in CHOICES[name]:
            raise ValidationError(f"{where}: {key!r} must be one of {', '.join(map(repr, CHOICES[name]))}, "
                                  f"not {value!r}")
    elif name == "delimiter":
        value = DELIMITER_WORDS.get(value, value) if isinstance(value, str) else value
        if not isinstance(value, str) or len(value) != 1 or value in "\"\r\n":
            raise ValidationError(f"{where}: {key!r} must be one character such as ';' or 'tab', not {value!r}")
    elif name == "encoding":
        try:
            codecs.lookup(str(value))
        except LookupError:
            raise ValidationError(f"{where}: {key!r}: unknown encoding {value!r} (e.g. utf-8, cp1252, "
                                  "utf-16)") from None
    elif name == "date_format":
        problem = date_format_problem(value)
        if problem:
            raise ValidationError(f"{where}: {key!r}: {problem}")
    return value


def table_settings(mapping, options: dict, table: str) -> dict:
    """The mapping dict given to ``read_table`` (flat or with ``file_options``) plus keyword options, checked.

    Parameters
    ----------
    mapping : dict or None
    options : dict
        Keyword file options; they override the mapping's.
    table : str

    Returns
    -------
    dict
        As :func:`check_section`.
    """
    if mapping is not None and not isinstance(mapping, dict):
        raise ValidationError(f"the mapping for {table!r} must be a dict such as {{'columns': {{...}}}}, "
                              f"not a {_kind(mapping)}", table)
    section = dict(mapping or {})
    for name, value in options.items():
        if name not in FILE_OPTIONS:
            raise ValidationError(f"unknown file option {name!r}{_guess(name, FILE_OPTIONS)}; the options are "
                                  f"{', '.join(FILE_OPTIONS)}", table)
        section.pop(name, None)
        if isinstance(section.get("file_options"), dict):
            section["file_options"] = {k: v for k, v in section["file_options"].items() if k != name}
        section[name] = value
    return check_section(section, "the mapping", table)
