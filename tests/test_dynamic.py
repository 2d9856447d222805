"""Dynamic variables: every documented name is covered and each value has Postman's shape."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime

import pytest

from runner.dynamic import ALL_NAMES, DYNAMIC_VARIABLES, MISSING, dynamic_value

UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
WORD = r"\w[\w'/.+-]*"
CAP_WORDS = r"[A-Z][\w'/-]*(?: [\w'/-]+)*"
JS_DATE = (
    r"(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{4}"
    r" \d{2}:\d{2}:\d{2} GMT\+0000 \(Coordinated Universal Time\)"
)
LOREM_SENTENCE = r"[A-Z][a-z]*(?: [a-z]+){2,9}\."
LOREM_SENTENCES = rf"{LOREM_SENTENCE}(?: {LOREM_SENTENCE})*"
USER = r"[A-Za-z]+(?:\d{1,2}|[._][A-Za-z]+\d{0,2})"
DOMAIN = r"[a-z]+\.(?:com|biz|info|name|net|org)"
PLACEIMG = r"http://placeimg\.com/640/480"
STEM = r"[a-z0-9-]+(?:_[a-z0-9-]+)*"
FILE = rf"{STEM}\.[a-z0-9]+"

SHAPES: dict[str, str] = {
    "$guid": UUID4,
    "$timestamp": r"\d{10}",
    "$isoTimestamp": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z",
    "$randomInt": r"\d|[1-9]\d{1,2}|1000",
    "$randomPhoneNumber": r"[2-9]\d\d-[2-9]\d\d-\d{4}",
    "$randomPhoneNumberExt": r"[1-9]\d?-[2-9]\d\d-[2-9]\d\d-\d{4}",
    "$randomLocale": r"[a-z]{2}",
    "$randomWords": rf"{WORD}(?: {WORD}){{1,4}}",
    "$randomFilePath": rf"(?:/[A-Za-z]+)+/{FILE}",
    "$randomDirectoryPath": r"(?:/[A-Za-z+]+)+",
    "$randomCity": CAP_WORDS,
    "$randomStreetName": CAP_WORDS,
    "$randomStreetAddress": rf"\d{{3,5}} {CAP_WORDS}",
    "$randomCountry": CAP_WORDS,
    "$randomCountryCode": r"[A-Z]{2}",
    "$randomLatitude": r"-?\d{1,2}\.\d{4}",
    "$randomLongitude": r"-?\d{1,3}\.\d{4}",
    "$randomColor": r"[a-z]+(?: [a-z]+)?",
    "$randomDepartment": r"[A-Z][a-z]+",
    "$randomProductName": r"[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+",
    "$randomProductAdjective": r"[A-Z][a-z]+",
    "$randomProductMaterial": r"[A-Z][a-z]+",
    "$randomProduct": r"[A-Z][a-z]+",
    "$randomCompanyName": (
        r"[A-Z][\w']+(?: (?:Inc|LLC|Group|Ltd|and Sons)| - [A-Z][\w']+|, [A-Z][\w']+ and [A-Z][\w']+)"
    ),
    "$randomCompanySuffix": r"Inc|LLC|Group|Ltd|and Sons",
    "$randomCatchPhrase": CAP_WORDS,
    "$randomBs": r"[a-z]+ [\w/-]+ [\w-]+",
    "$randomCatchPhraseAdjective": r"[A-Z][a-z-]+",
    "$randomCatchPhraseDescriptor": r"[\w/-]+(?: [a-z]+)?",
    "$randomCatchPhraseNoun": r"[a-z]+(?: [a-z]+)?",
    "$randomBsAdjective": r"[\w/-]+",
    "$randomBsBuzz": r"[a-z]+",
    "$randomBsNoun": r"[\w-]+",
    "$randomDatabaseColumn": r"[a-z]+[A-Za-z]*",
    "$randomDatabaseType": r"[a-z]+",
    "$randomDatabaseCollation": r"[a-z0-9]+_[a-z_]+",
    "$randomDatabaseEngine": r"[A-Za-z]+",
    "$randomDatePast": JS_DATE,
    "$randomDateFuture": JS_DATE,
    "$randomDateRecent": JS_DATE,
    "$randomMonth": r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)",
    "$randomWeekday": r"(?:Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)",
    "$randomBankAccount": r"\d{8}",
    "$randomBankAccountName": r"[A-Z][a-z]+(?: [A-Z][a-z]+)? Account",
    "$randomCreditCardMask": r"\d{4}",
    "$randomPrice": r"(?:\d{1,3}|1000)\.\d{2}",
    "$randomTransactionType": r"deposit|withdrawal|payment|invoice",
    "$randomCurrencyCode": r"[A-Z]{3}",
    "$randomCurrencyName": CAP_WORDS,
    "$randomCurrencySymbol": r"\S{1,3}",
    "$randomBitcoin": r"[13][1-9a-km-zA-HJ-NP-Z]{24,33}",
    "$randomBankAccountIban": r"[A-Z]{2}\d{2}[A-Z0-9]{11,27}",
    "$randomBankAccountBic": r"[A-Z]{3}[AEIOU][A-Z]{2}[A-Z]1(?:[A-Z][AEIOU][A-Z]|\d{3})?",
    "$randomAbbreviation": r"[A-Z]{2,5}",
    "$randomAdjective": r"[a-z0-9-]+(?: [a-z]+)?",
    "$randomNoun": r"[a-z]+(?: [a-z]+)?",
    "$randomVerb": r"[a-z]+(?: [a-z]+)?",
    "$randomIngverb": r"[a-z]+ing(?: up)?",
    "$randomPhrase": r"[A-Z][^\n]+[.!]",
    "$randomAvatarImage": r"https://avatars\.githubusercontent\.com/u/\d+",
    "$randomImageUrl": PLACEIMG,
    "$randomImageDataUri": r"data:image/svg\+xml;charset=UTF-8,%3Csvg[%\w.-]+",
    "$randomEmail": rf"{USER}@(?:gmail|yahoo|hotmail)\.com",
    "$randomExampleEmail": rf"{USER}@example\.(?:com|net|org)",
    "$randomUserName": USER,
    "$randomProtocol": r"https?",
    "$randomUrl": rf"https?://{DOMAIN}",
    "$randomDomainName": DOMAIN,
    "$randomDomainSuffix": r"com|biz|info|name|net|org",
    "$randomDomainWord": r"[a-z]+",
    "$randomIP": r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)",
    "$randomIPV6": r"[0-9a-f]{4}(?::[0-9a-f]{4}){7}",
    "$randomUserAgent": r"Mozilla/5\.0 \([^)]+\)[ -~]*",
    "$randomHexColor": r"#[0-9a-f]{6}",
    "$randomMACAddress": r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}",
    "$randomPassword": r"[A-Za-z0-9]{15}",
    "$randomLoremWord": r"[a-z]+",
    "$randomLoremWords": r"[a-z]+ [a-z]+ [a-z]+",
    "$randomLoremSentence": LOREM_SENTENCE,
    "$randomLoremSlug": r"[a-z]+-[a-z]+-[a-z]+",
    "$randomLoremSentences": LOREM_SENTENCES,
    "$randomLoremParagraph": LOREM_SENTENCES,
    "$randomLoremParagraphs": rf"{LOREM_SENTENCES}\n \r{LOREM_SENTENCES}\n \r{LOREM_SENTENCES}",
    "$randomLoremText": r"[A-Za-z][A-Za-z .\n\r]*",
    "$randomLoremLines": rf"{LOREM_SENTENCE}(?:\n{LOREM_SENTENCE}){{0,4}}",
    "$randomFirstName": r"[A-Z][a-z]+",
    "$randomLastName": r"[A-Z][A-Za-z']+",
    "$randomFullName": r"(?:(?:Mr|Mrs|Ms|Dr)\. |Miss )?[A-Z][a-z]+ [A-Z][A-Za-z']+(?: [A-Za-z.]+)?",
    "$randomJobTitle": r"[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+",
    "$randomNamePrefix": r"Mr\.|Mrs\.|Ms\.|Miss|Dr\.",
    "$randomNameSuffix": r"[A-Z][A-Za-z]*\.?",
    "$randomJobDescriptor": r"[A-Z][a-z]+",
    "$randomJobArea": r"[A-Z][a-z]+",
    "$randomJobType": r"[A-Z][a-z]+",
    "$randomUUID": UUID4,
    "$randomBoolean": r"true|false",
    "$randomWord": r"[\w/-]+",
    "$randomAlphaNumeric": r"[a-z0-9]",
    "$randomFileName": FILE,
    "$randomCommonFileName": rf"{STEM}\.(?:pdf|mp3|mpga|m2a|m3a|mp2|mp2a|wav|png|jpg|jpeg|jpe|gif|mp4"
    r"|mp4v|mpg4|mpeg|mpg|mpe|m1v|m2v|html|htm|shtml)",
    "$randomMimeType": r"[a-z-]+/[\w.+-]+",
    "$randomCommonFileType": r"application|audio|image|text|video",
    "$randomCommonFileExt": r"[a-z0-9]{2,5}",
    "$randomFileType": r"[a-z-]+",
    "$randomFileExt": r"[a-z0-9]{1,5}",
    "$randomSemver": r"\d\.\d\.\d",
}
IMAGE_KINDS = "Abstract Animals Business Cats City Food Nightlife Fashion People Nature Sports Transport"
SHAPES |= {f"$random{kind}Image": rf"{PLACEIMG}/{kind.lower()}" for kind in IMAGE_KINDS.split()}

# Postman returns fixed placeimg.com URLs for these; the clock-based ones may repeat within a tick.
NOT_RANDOM = {n for n in ALL_NAMES if n.endswith("Image") and n != "$randomAvatarImage"} | {
    "$randomImageUrl",
    "$randomImageDataUri",
    "$timestamp",
    "$isoTimestamp",
}


def test_catalogue_is_complete() -> None:
    assert len(ALL_NAMES) == 118
    assert set(DYNAMIC_VARIABLES) | MISSING == ALL_NAMES
    assert not set(DYNAMIC_VARIABLES) & MISSING
    assert set(SHAPES) == ALL_NAMES
    assert all(name.startswith("$") for name in ALL_NAMES)


@pytest.mark.parametrize("name", sorted(DYNAMIC_VARIABLES))
def test_value_shape(name: str) -> None:
    for _ in range(30):
        value = dynamic_value(name)
        assert isinstance(value, str)
        assert re.fullmatch(SHAPES[name], value), f"{name}: {value!r}"


@pytest.mark.parametrize("name", sorted(set(DYNAMIC_VARIABLES) - NOT_RANDOM))
def test_values_vary(name: str) -> None:
    assert len({dynamic_value(name) for _ in range(50)}) > 1


def test_unknown_names() -> None:
    for name in ("$nope", "guid", "", "$GUID", "randomInt", "$randomint"):
        assert dynamic_value(name) is None


def test_uuid_and_clock_values() -> None:
    assert uuid.UUID(dynamic_value("$guid")).version == 4
    assert abs(int(dynamic_value("$timestamp")) - time.time()) < 2
    iso = datetime.fromisoformat(dynamic_value("$isoTimestamp").replace("Z", "+00:00"))
    assert abs(iso.timestamp() - time.time()) < 2


def _js_date(value: str) -> float:
    return datetime.strptime(value[:24], "%a %b %d %Y %H:%M:%S").replace(tzinfo=UTC).timestamp()


def test_date_ranges() -> None:
    now, year, day = time.time(), 365 * 86400, 86400
    for _ in range(50):
        assert now - year - 2 <= _js_date(dynamic_value("$randomDatePast")) <= now
        assert now <= _js_date(dynamic_value("$randomDateFuture")) <= now + year + 2
        assert now - day - 2 <= _js_date(dynamic_value("$randomDateRecent")) <= now


def test_iban_checksum_is_valid() -> None:
    for _ in range(50):
        iban = dynamic_value("$randomBankAccountIban")
        assert 15 <= len(iban) <= 31
        rearranged = iban[4:] + iban[:4]
        assert int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1, iban


def test_numeric_ranges() -> None:
    ints = {int(dynamic_value("$randomInt")) for _ in range(300)}
    assert min(ints) >= 0 and max(ints) <= 1000
    assert all(0 <= float(dynamic_value("$randomPrice")) <= 1000 for _ in range(100))
    assert all(abs(float(dynamic_value("$randomLatitude"))) <= 90 for _ in range(100))
    assert all(abs(float(dynamic_value("$randomLongitude"))) <= 180 for _ in range(100))
    # Postman's hex colours average each channel with 0, so no component exceeds 0x80.
    for _ in range(100):
        color = dynamic_value("$randomHexColor")
        assert all(int(color[i : i + 2], 16) <= 0x80 for i in (1, 3, 5))


def test_mapping_is_read_only() -> None:
    with pytest.raises(TypeError):
        DYNAMIC_VARIABLES["$guid"] = lambda: "x"  # type: ignore[index]


def test_fast() -> None:
    start = time.perf_counter()
    for _ in range(20):
        for name in DYNAMIC_VARIABLES:
            dynamic_value(name)
    per_call = (time.perf_counter() - start) / (20 * len(DYNAMIC_VARIABLES))
    assert per_call < 200e-6, f"{per_call * 1e6:.1f} µs per call"
