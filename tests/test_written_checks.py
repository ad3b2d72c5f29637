"""The merge's check of the chunks it writes (``validate.check_formatted``): each token the exporter
formatted is held to its JSON grammar and to the value it was formatted from, and the text between
tokens to the record's declared glue. Each damage below is one the check must catch; the property test
holds the check and the exporter to ``json.loads`` (the reference)."""

from __future__ import annotations

import dataclasses
import json
import struct

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bigdet.exporters import coco, record
from bigdet.exporters.coco import Tokens
from bigdet import validate
from bigdet.validate import check_formatted

#: A record with one value of every kind the exporter writes.
FIELDS = (
    record.Field("id", pa.int64(), True),
    record.Field("score", pa.float64(), True),
    record.Field("file_name", pa.string(), True),
    record.Field("source", pa.string(), True),
    record.Field("neg_category_ids", pa.list_(pa.int64()), True),
    record.Field("bbox", pa.list_(pa.float64()), True),
)


def chunk(ids=(7, 8), scores=(0.5, 1.0), names=("a.jpg", 'b"\\c.jpg'), source="lvis", mask=((0, 1, 1), (0, 0, 0)), bbox=((1.0, 2.5), (0.0, -0.0), (10.0, 1e-05), (2.0, 1e300)), fake=(True, None)):
    columns = {
        "id": np.array(ids, dtype=np.int64),
        "score": np.array(scores, dtype=np.float64),
        "file_name": pa.array(names, pa.string()),
        "source": source,
        "neg_category_ids": np.array(mask, dtype=bool).reshape(len(ids), -1),
        "bbox": tuple(np.array(c, dtype=np.float64) for c in bbox),
    }
    values = pa.array(fake, pa.bool_())
    texts = pc.if_else(pc.is_null(values), "", pc.if_else(values, ', "is_fake": true', ', "is_fake": false'))
    return coco.format_records(FIELDS, columns, [Tokens("is_fake", "member", texts, values)])


def rejoined(c: coco.Formatted) -> coco.Formatted:
    """The chunk's records joined again from its (changed) glue and tokens, as the exporter joins them."""
    pieces = [c.glue[0]]
    for token, text in zip(c.tokens, c.glue[1:]):
        pieces += [token.texts, text]
    return dataclasses.replace(c, records=pc.binary_join_element_wise(*pieces, ""))


def with_text(c: coco.Formatted, name: str, row: int, text: str) -> coco.Formatted:
    """The chunk with one token's text changed (and the records joined from it)."""
    tokens = []
    for t in c.tokens:
        if t.name == name:
            texts = t.texts.to_pylist()
            texts[row] = text
            t = dataclasses.replace(t, texts=pa.array(texts, pa.string()))
        tokens.append(t)
    return rejoined(dataclasses.replace(c, tokens=tokens))


def test_a_chunk_as_formatted_passes_and_says_its_values():
    c = chunk()
    assert check_formatted("f.json", "images", c) == []
    got = json.loads("[" + bytes(coco.joined(c.records)).decode() + "]")
    assert got == [
        {"id": 7, "score": 0.5, "file_name": "a.jpg", "source": "lvis", "neg_category_ids": [1, 2], "bbox": [1.0, 0.0, 10.0, 2.0], "is_fake": True},
        {"id": 8, "score": 1.0, "file_name": 'b"\\c.jpg', "source": "lvis", "neg_category_ids": [], "bbox": [2.5, -0.0, 1e-05, 1e300]},
    ]


@pytest.mark.parametrize(
    "name, row, text, expected",
    [
        ("score", 0, "nan", "not JSON numbers"),  # a nan value must not be written as a bare word
        ("score", 1, "01", "not JSON numbers"),  # leading zero: Arrow would read it as 1.0
        ("score", 1, "+1", "not JSON numbers"),  # leading plus: Arrow would read it as 1.0
        ("score", 1, "1.", "not JSON numbers"),
        ("score", 1, "Infinity", "not JSON numbers"),
        ("score", 0, "1e5", "other values in score"),  # valid JSON, but not the value
        ("score", 0, "0.50000001", "other values in score"),
        ("bbox[1]", 1, "0.0", "other values in bbox[1]"),  # the value is -0.0: bit for bit
        ("bbox[3]", 1, "1e+300", None),  # another spelling of the same number is still the same number
        ("id", 0, "07", "not JSON integers"),
        ("id", 0, "92233720368547758070", "do not parse back as int64"),  # well-formed, beyond int64: a problem line, not a traceback
        ("id", 0, "+7", "not JSON integers"),
        ("id", 0, "7.0", "not JSON integers"),
        ("id", 1, "9", "other values in id"),
        ("file_name", 0, '"a\x01.jpg"', "not a JSON string"),  # a raw control character
        ("file_name", 1, '"b"\\c.jpg"', "not a JSON string"),  # an unescaped quote
        ("file_name", 0, '"a.jpg\\u0000"', "other values in file_name"),  # valid JSON, another string
        ("file_name", 0, ' "a.jpg"', "not a JSON string"),  # json.loads allows the space; the writer must not add it
        ("file_name", 0, '"b.jpg"', "other values in file_name"),
        ("neg_category_ids", 0, "[1,3]", "other values in neg_category_ids"),  # a wrong id
        ("neg_category_ids", 0, "[1,2,]", "not lists of ids"),  # a trailing comma
        ("neg_category_ids", 0, "[1, 2]", "not lists of ids"),  # the writer writes no spaces
        ("neg_category_ids", 0, "[1]", "other values in neg_category_ids"),  # an id missing
        ("neg_category_ids", 1, "[0]", "other values in neg_category_ids"),  # an id too many
        ("is_fake", 0, ', "is_fake": 1', "is not one bool"),  # a number for a boolean
        ("is_fake", 0, ', "is_fake": false', "other values in is_fake"),
        ("is_fake", 1, ', "is_fake": false', "other values in is_fake"),  # a key written where it is meant to be left out
        ("is_fake", 0, ', "is_fake": tru', "not a JSON member"),
        ("is_fake", 0, ', "is_real": true', "is not one bool"),  # another key
    ],
)
def test_the_check_catches_a_damaged_token(name, row, text, expected):
    problems = check_formatted("f.json", "images", with_text(chunk(), name, row, text), first=100)
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0] and f'"images"[{100 + row}]' in problems[0], problems


@pytest.mark.parametrize(
    "row, text",
    [
        (0, "[0,1,3]"),  # a wrong id
        (0, "[0,1,2,]"),  # a trailing comma
        (0, "[0, 1, 2]"),  # spaces: valid JSON, not what the writer writes
        (0, "[0,1]"),  # an id missing
        (1, "[0,1,2]"),  # an id too many
        (1, "[2,0]"),  # the same ids, out of order
    ],
)
def test_the_check_catches_a_damaged_id_list_cut_from_one_text(row, text):
    """Rows holding most of their ids (Objects365's negatives) are written by ``cut_id_list_text`` and
    held byte for byte to ``id_list_text``'s text: any other text is refused."""
    c = chunk(mask=((1, 1, 1, 0), (1, 0, 1, 0)))
    assert coco.mostly_set(c.columns["neg_category_ids"]) and check_formatted("f.json", "images", c) == []
    assert c.tokens[4].texts.to_pylist() == ["[0,1,2]", "[0,2]"]
    problems = check_formatted("f.json", "images", with_text(c, "neg_category_ids", row, text), first=100)
    assert len(problems) == 1 and "do not parse back as meant in neg_category_ids" in problems[0] and f'"images"[{100 + row}]' in problems[0], problems


def test_a_missing_id_list_cut_from_one_text_is_a_problem_line_not_a_crash():
    c = chunk(mask=((1, 1, 1, 0), (1, 0, 1, 0)))
    tokens = [dataclasses.replace(t, texts=pa.array(["[0,1,2]", None], pa.string())) if t.name == "neg_category_ids" else t for t in c.tokens]
    problems = check_formatted("f.json", "images", dataclasses.replace(c, tokens=tokens))  # the records say otherwise
    assert len(problems) == 1 and "not their tokens joined" in problems[0] and "expected None" in problems[0], problems
    problems = check_formatted("f.json", "images", rejoined(dataclasses.replace(c, tokens=tokens)))  # records rejoined: null too
    assert len(problems) == 1 and "records are null" in problems[0], problems
    null_ids = next(t for t in tokens if t.name == "neg_category_ids")
    assert validate._check_ids(null_ids) == (1, "do not parse back as meant in neg_category_ids: None, meant '[0,2]'")
    ids = next(t for t in c.tokens if t.name == "neg_category_ids")
    assert validate._check_ids(dataclasses.replace(ids, texts=ids.texts.cast(pa.large_string()))) is None  # the same texts


@pytest.mark.parametrize("position, text", [(2, ', "file_name":'), (2, ',"file_name": '), (0, '{"id" : '), (-1, "}")])
def test_the_check_catches_a_glue_other_than_declared(position, text):
    c = chunk()
    glue = list(c.glue)
    glue[position] = text
    problems = check_formatted("f.json", "images", rejoined(dataclasses.replace(c, glue=glue)))
    assert len(problems) == 1 and "as declared" in problems[0], problems


@pytest.mark.parametrize("damage", ["longer value", "same-length value", "same-length glue", "swapped values"])
def test_the_check_catches_records_that_are_not_their_tokens_joined(damage):
    """The records written are compared byte for byte with the checked tokens joined by the declared
    glue: a change that keeps every record's length (a value, the text between two values, two values
    of the same length swapped) is caught as surely as one that does not."""
    c = chunk()
    first = c.records[0].as_py()
    if damage == "longer value":
        other = with_text(c, "score", 0, "0.25").records  # records of other tokens than those handed over
    else:
        if damage == "same-length value":
            text = first.replace('"score": 0.5', '"score": 0.7', 1)
        elif damage == "same-length glue":
            text = first.replace('"id": 7, ', '"id": 7XY', 1)  # not json any more, same length
        else:
            text = first.replace('"bbox": [1.0, 0.0, 10.0, 2.0]', '"bbox": [0.0, 1.0, 10.0, 2.0]', 1)
        assert text != first and len(text) == len(first)
        other = pa.array([text] + c.records.to_pylist()[1:], pa.string())
    problems = check_formatted("f.json", "images", dataclasses.replace(c, records=other))
    assert len(problems) == 1 and "not their tokens joined" in problems[0] and '"images"[0]' in problems[0], problems


def test_the_declared_glue_makes_one_object_of_the_declared_keys():
    for fields in (record.IMAGE, record.ANNOTATION):
        samples = {"id": "1", "file_name": '"x"', "source": '"lvis"', "source_image_id": '"7"', "bbox": None}
        glue = record.glue(fields, 1)
        tokens = []
        for f in fields:
            if record.is_coordinates(f):
                tokens += ["1.5"] * record.BBOX_LENGTH
            else:
                tokens.append(samples.get(f.name) or ("[3,4]" if pa.types.is_list(f.type) else "2"))
        tokens.append(', "is_fake": true')
        text = glue[0] + "".join(t + g for t, g in zip(tokens, glue[1:]))
        assert text.endswith("}, ")
        pairs = json.loads(text[:-2], object_pairs_hook=list)
        assert [k for k, _ in pairs] == [f.name for f in fields] + ["is_fake"]


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


any_float = st.floats(allow_nan=True, allow_infinity=True, width=64)
ids = st.integers(-(2**63), 2**63 - 1)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(1, 12))
def test_what_the_exporter_formats_passes_the_check_and_json_loads_to_the_values(data, n):
    """For arbitrary ints, floats (nan and inf included), strings (unicode, control characters, quotes)
    and label masks: the check passes exactly when every float is finite (JSON has no nan / inf), and
    then ``json.loads`` of the written records gives back every value, floats bit for bit."""
    values = {
        "ids": data.draw(st.lists(ids, min_size=n, max_size=n)),
        "scores": data.draw(st.lists(any_float, min_size=n, max_size=n)),
        "names": data.draw(st.lists(st.text(), min_size=n, max_size=n)),
        "source": data.draw(st.text()),
        "mask": data.draw(st.lists(st.lists(st.booleans(), min_size=5, max_size=5), min_size=n, max_size=n)),
        "bbox": data.draw(st.lists(st.lists(any_float, min_size=n, max_size=n), min_size=4, max_size=4)),
        "fake": data.draw(st.lists(st.sampled_from([True, False, None]), min_size=n, max_size=n)),
    }
    c = chunk(**values)
    problems = check_formatted("f.json", "images", c)
    finite = all(np.isfinite(v) for v in values["scores"] + sum(values["bbox"], []))
    if not finite:
        assert problems and all("not JSON numbers" in p for p in problems)
        return
    assert problems == []
    got = json.loads("[" + bytes(coco.joined(c.records)).decode() + "]")
    for k, r in enumerate(got):
        assert r["id"] == values["ids"][k] and r["file_name"] == values["names"][k] and r["source"] == values["source"]
        assert bits(r["score"]) == bits(values["scores"][k])
        assert [bits(v) for v in r["bbox"]] == [bits(values["bbox"][j][k]) for j in range(4)]
        assert r["neg_category_ids"] == [j for j, v in enumerate(values["mask"][k]) if v]
        assert r.get("is_fake") == values["fake"][k] and ("is_fake" in r) == (values["fake"][k] is not None)


def test_the_check_catches_a_value_missing_from_the_records():
    c = chunk()
    shorter = rejoined(dataclasses.replace(c, tokens=c.tokens[:1] + c.tokens[2:], glue=c.glue[:1] + c.glue[2:]))  # no "score"
    problems = check_formatted("f.json", "images", shorter)
    assert len(problems) == 1 and "the record declares 10" in problems[0], problems
    with pytest.raises(ValueError, match="declaring 9"):  # the writer refuses a bbox of three numbers
        coco.format_records(FIELDS, {**c.columns, "bbox": c.columns["bbox"][:3]})


@settings(max_examples=500, deadline=None)
@given(st.lists(st.none() | st.text(max_size=8) | st.text(alphabet="0123456789-+ .e\u0660\uff11", max_size=6), max_size=15), st.integers(0, 3))
def test_json_integer_matches_are_the_grammar_s_for_any_text(texts, cut):
    """``validate.full_matches`` of JSON integers (cheap kernels first, the regex for the rest) says
    what a full match of the RFC 8259 integer grammar says, for any text (null: no match), sliced or not."""
    import re

    grammar = re.compile(r"-?(?:0|[1-9][0-9]*)")
    array = pa.array(texts, pa.string())[cut:]
    expected = [t is not None and grammar.fullmatch(t) is not None for t in texts[cut:]]
    assert validate.full_matches(array, validate.JSON_INTEGER).tolist() == expected
    assert validate.full_matches(array, validate.JSON_NUMBER).tolist() == [
        t is not None and re.fullmatch(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?", t) is not None for t in texts[cut:]
    ]


def test_a_chunk_left_unjoined_is_joined_by_its_check_with_the_same_bytes():
    """The merge's writer leaves a checked chunk's records to its check (joined once, not once to write
    and again to compare): the check's join is byte for byte the writer's, and a damaged token or glue is
    caught as surely as in records the writer joined."""
    joined = chunk()
    unjoined = dataclasses.replace(joined, records=None)
    assert check_formatted("f.json", "images", unjoined) == []
    assert unjoined.records.equals(joined.records)
    glue = list(joined.glue)
    glue[2] = ',"file_name": '
    damaged = dataclasses.replace(joined, glue=glue, records=None)
    problems = check_formatted("f.json", "images", damaged)
    assert len(problems) == 1 and "as declared" in problems[0] and damaged.records is not None, problems
    damaged = dataclasses.replace(with_text(joined, "score", 1, "1.O"), records=None)
    problems = check_formatted("f.json", "images", damaged)
    assert len(problems) == 1 and "not JSON numbers" in problems[0] and '"images"[1]' in problems[0], problems
