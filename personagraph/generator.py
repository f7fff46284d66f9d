"""Dirty multi-source demo data with ground truth.

``generate(GeneratorConfig(people=1000, seed=42), out_dir)`` writes ``out_dir/raw/<table>.csv``
(or ``.parquet``) for every raw table of the data contract and ``out_dir/truth/`` with the
true person behind every record (``records.csv``), every normalised identifier
(``identifiers.csv``), the clean people (``people.csv``) and ``summary.json``.

Everything is vectorised with numpy and pyarrow and written in chunks of people, so a
million people take minutes, and the same seed and configuration give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

# --------------------------------------------------------------------------------------
# The contract
# --------------------------------------------------------------------------------------

TABLES: dict[str, list[str]] = {
    "web_events": [
        "event_id", "event_at", "anonymous_id", "user_id", "email", "esp_record_id",
        "event_type", "page_url", "product_id", "device_type", "ip_address", "user_agent",
    ],
    "app_events": [
        "event_id", "event_at", "device_id", "user_id", "event_type", "product_id",
        "platform", "app_version",
    ],
    "shop_customers": [
        "customer_id", "email", "phone", "first_name", "last_name", "created_at",
        "updated_at", "accepts_marketing",
    ],
    "shop_orders": [
        "order_id", "customer_id", "email", "phone", "ordered_at", "channel", "store_id",
        "currency", "total_amount", "discount_amount", "status", "loyalty_id",
        "payment_fingerprint", "ship_address_line1", "ship_city", "ship_postcode",
        "ship_country",
    ],
    "order_lines": ["order_id", "line_number", "product_id", "quantity", "unit_price"],
    "products": ["product_id", "product_name", "category", "price"],
    "esp_contacts": ["esp_record_id", "email", "subscribed", "subscribed_at", "unsubscribed_at"],
    "esp_events": ["esp_record_id", "event_at", "event_type", "campaign_id"],
    "crm_contacts": [
        "contact_id", "first_name", "last_name", "date_of_birth", "email", "personal_email",
        "phone", "address_line1", "address_line2", "city", "postcode", "region", "country",
        "company", "job_title", "updated_at",
    ],
    "support_tickets": [
        "ticket_id", "created_at", "channel", "email", "phone", "customer_name", "topic",
        "satisfaction_score",
    ],
    "loyalty_members": [
        "loyalty_id", "email", "phone", "first_name", "last_name", "date_of_birth",
        "postcode", "tier", "points_balance", "joined_at",
    ],
    "enrichment_profiles": [
        "email", "social_handle", "interests", "age_band", "influence_score", "fetched_at",
    ],
    "consent_events": [
        "subject_type", "subject_value", "purpose", "status", "recorded_at", "source",
    ],
    "privacy_requests": [
        "request_id", "subject_type", "subject_value", "request_type", "requested_at",
    ],
}  # fmt: skip

#: Tables whose rows are records of their own, with the record id column.
RECORD_ID: dict[str, str] = {
    "web_events": "event_id",
    "app_events": "event_id",
    "shop_customers": "customer_id",
    "shop_orders": "order_id",
    "esp_contacts": "esp_record_id",
    "crm_contacts": "contact_id",
    "support_tickets": "ticket_id",
    "loyalty_members": "loyalty_id",
}

TRUTH_RECORDS = ["source_table", "source_record_id", "person_id", "defect"]
TRUTH_IDENTIFIERS = ["identifier_type", "identifier_value", "person_id", "kind"]
TRUTH_PEOPLE = [
    "person_id", "first_name", "last_name", "date_of_birth", "primary_email", "work_email",
    "phone_e164", "postcode", "city", "country", "is_b2b", "household_id",
]  # fmt: skip

DEFECTS = [
    "",
    "missing_id",
    "bad_timestamp",
    "bad_number",
    "negative_quantity",
    "bad_optional_value",
    "duplicate_key_conflict",
    "new_version",
]
D_NONE, D_MISSING, D_TS, D_NUM, D_NEGQ, D_OPT, D_CONFLICT, D_VERSION = range(len(DEFECTS))

# --------------------------------------------------------------------------------------
# Configuration and summary
# --------------------------------------------------------------------------------------

SITUATIONS: dict[str, str] = {
    "multi_device": "share of people with web or app activity using several cookies/devices",
    "anonymous_then_login": "share of shop customers' cookies browsing anonymously, then login",
    "form_submit": "share of cookies that submit a form carrying an email",
    "guest_checkout": "share of orders placed as a guest (only email or only phone)",
    "email_clickthrough": "share of ESP clicks that land on the web with the esp_record_id",
    "forwarded_click": "share of click-throughs made by someone else (a forwarded email)",
    "shared_family_device": "share of multi-person households sharing a tablet/app device",
    "store_shared_email": "share of store orders carrying the store's own email address",
    "b2b": "share of people with a work email, company and job title in the CRM",
    "name_variants": "share of written names with a typo, initial, nickname or accent dropped",
    "foreign_people": "share of people living in US/IE/DE/AU (international phone format)",
    "phone_formats": "share of GB phone values in a non-canonical national format",
    "address_variants": "share of addresses written St/Rd/Ave, Apt for Flat, postcode variants",
    "moved_address": "share of people who moved: older records keep the old address",
    "changed_email": "share of people who changed email: older records keep the old one",
    "messy_text": "share of text values with mixed case or stray whitespace",
    "date_formats": "share of timestamps/dates written dd/mm/yyyy or ISO with 'T' and offset",
    "boolean_formats": "share of booleans written yes/no/1/0/Y/N instead of true/false",
    "junk_values": "share of contact values replaced by junk (test@test.com, 0000000000, n/a)",
    "exact_duplicates": "share of rows written twice, byte for byte",
    "duplicate_key_conflicts": "share of records repeated with the same id, different content",
    "new_versions": "share of customers/CRM contacts exported again with a later updated_at",
    "missing_id": "share of records whose id is blank",
    "bad_timestamp": "share of records whose main timestamp cannot be parsed",
    "bad_number": "share of orders whose total_amount is not a number",
    "negative_quantity": "share of order lines with a negative quantity",
    "bad_optional_value": "share of records with a garbage optional value (date of birth...)",
    "wrong_field_count": "share of CSV lines with too many/too few fields (min 2 per table)",
}

#: situations that only happen on top of another one (switched off with it)
SITUATION_NEEDS: dict[str, str] = {"forwarded_click": "email_clickthrough"}

DEFAULT_RATES: dict[str, float] = {
    "multi_device": 0.35,
    "anonymous_then_login": 0.6,
    "form_submit": 0.05,
    "guest_checkout": 0.12,
    "email_clickthrough": 0.6,
    "forwarded_click": 0.05,
    "shared_family_device": 0.3,
    "store_shared_email": 0.3,
    "b2b": 0.08,
    "name_variants": 0.2,
    "foreign_people": 0.1,
    "phone_formats": 0.6,
    "address_variants": 0.3,
    "moved_address": 0.08,
    "changed_email": 0.07,
    "messy_text": 0.08,
    "date_formats": 0.12,
    "boolean_formats": 0.3,
    "junk_values": 0.02,
    "exact_duplicates": 0.02,
    "duplicate_key_conflicts": 0.003,
    "new_versions": 0.05,
    "missing_id": 0.001,
    "bad_timestamp": 0.002,
    "bad_number": 0.003,
    "negative_quantity": 0.003,
    "bad_optional_value": 0.004,
    "wrong_field_count": 0.0001,
}


def _rate_field(name: str) -> float:
    return field(default=DEFAULT_RATES[name], metadata={"help": SITUATIONS[name]})


@dataclass
class GeneratorConfig:
    """How many people, which seed, and the rate of every situation (0 switches it off)."""

    people: int = 1000
    seed: int = 42
    chunk_people: int = 20_000
    multi_device: float = _rate_field("multi_device")
    anonymous_then_login: float = _rate_field("anonymous_then_login")
    form_submit: float = _rate_field("form_submit")
    guest_checkout: float = _rate_field("guest_checkout")
    email_clickthrough: float = _rate_field("email_clickthrough")
    forwarded_click: float = _rate_field("forwarded_click")
    shared_family_device: float = _rate_field("shared_family_device")
    store_shared_email: float = _rate_field("store_shared_email")
    b2b: float = _rate_field("b2b")
    name_variants: float = _rate_field("name_variants")
    foreign_people: float = _rate_field("foreign_people")
    phone_formats: float = _rate_field("phone_formats")
    address_variants: float = _rate_field("address_variants")
    moved_address: float = _rate_field("moved_address")
    changed_email: float = _rate_field("changed_email")
    messy_text: float = _rate_field("messy_text")
    date_formats: float = _rate_field("date_formats")
    boolean_formats: float = _rate_field("boolean_formats")
    junk_values: float = _rate_field("junk_values")
    exact_duplicates: float = _rate_field("exact_duplicates")
    duplicate_key_conflicts: float = _rate_field("duplicate_key_conflicts")
    new_versions: float = _rate_field("new_versions")
    missing_id: float = _rate_field("missing_id")
    bad_timestamp: float = _rate_field("bad_timestamp")
    bad_number: float = _rate_field("bad_number")
    negative_quantity: float = _rate_field("negative_quantity")
    bad_optional_value: float = _rate_field("bad_optional_value")
    wrong_field_count: float = _rate_field("wrong_field_count")

    def __post_init__(self) -> None:
        if self.people < 1:
            raise ValueError("people must be at least 1")
        if self.chunk_people < 1:
            raise ValueError("chunk_people must be at least 1")
        for name in SITUATIONS:
            rate = getattr(self, name)
            if not 0.0 <= float(rate) <= 1.0:
                raise ValueError(f"rate {name}={rate} is not between 0 and 1")
            setattr(self, name, float(rate))

    def rates(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in SITUATIONS}

    def with_rates(self, **rates: float) -> GeneratorConfig:
        unknown = sorted(set(rates) - set(SITUATIONS))
        if unknown:
            raise ValueError(f"unknown situation(s): {', '.join(unknown)}")
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(rates)
        return GeneratorConfig(**values)


@dataclass
class Summary:
    """Counts of what was written; ``render()`` gives a text table (no personal values)."""

    people: int
    seed: int
    file_format: str
    rates: dict[str, float]
    situations: dict[str, int]
    tables: dict[str, dict[str, int]]
    truth: dict[str, int]
    out_dir: Path
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "people": self.people,
            "seed": self.seed,
            "format": self.file_format,
            "rates": self.rates,
            "situations": self.situations,
            "tables": self.tables,
            "truth": self.truth,
        }

    @property
    def total_rows(self) -> int:
        return sum(t["rows"] for t in self.tables.values())

    def render(self) -> str:
        lines = [
            f"generated {self.people:,} people (seed {self.seed}, {self.file_format}) "
            f"into {self.out_dir} in {self.seconds:.1f} s",
            "",
            f"{'table':<22}{'rows':>14}{'exact dups':>12}{'malformed':>11}",
        ]
        for table, counts in self.tables.items():
            lines.append(
                f"{table:<22}{counts['rows']:>14,}{counts['exact_duplicates']:>12,}"
                f"{counts['malformed_lines']:>11,}"
            )
        lines.append(f"{'total':<22}{self.total_rows:>14,}")
        lines += ["", f"{'situation':<26}{'rate':>8}{'count':>14}"]
        for name, count in self.situations.items():
            lines.append(f"{name:<26}{self.rates[name]:>8.4g}{count:>14,}")
        lines += ["", f"{'truth file':<26}{'rows':>22}"]
        for name, count in self.truth.items():
            lines.append(f"{name:<26}{count:>22,}")
        if not self.truth:
            lines.append("(not written: --no-truth)")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Reference data (small lists; the only place with Python loops)
# --------------------------------------------------------------------------------------

# (name, nicknames); nicknames are "the same person, written differently".
FEMALE_NAMES = [
    ("Maria", "Masha"), ("Elizabeth", "Liz"), ("Katherine", "Kate"), ("Margaret", "Maggie"),
    ("Jennifer", "Jen"), ("Rebecca", "Becky"), ("Victoria", "Vicky"), ("Alexandra", "Sasha"),
    ("Samantha", "Sam"), ("Zoë", ""), ("Ngọc", ""), ("Aoife", ""), ("Siobhán", ""),
    ("Anna", "Annie"), ("Emma", ""), ("Olivia", "Liv"), ("Sophie", ""), ("Chloe", ""),
    ("Hannah", ""), ("Priya", ""), ("Fatima", ""), ("Ewa", ""), ("Chiara", ""),
    ("Ingrid", ""), ("Susan", "Sue"), ("Patricia", "Trish"), ("Deborah", "Debbie"),
    ("Amelia", "Millie"), ("Isabella", "Bella"), ("Charlotte", "Lottie"), ("Grace", ""),
    ("Lucy", ""), ("Mei", ""), ("Renée", ""), ("Ana", ""), ("Yasmin", ""),
]  # fmt: skip
MALE_NAMES = [
    ("William", "Bill"), ("Robert", "Bob"), ("James", "Jim"), ("Michael", "Mike"),
    ("Thomas", "Tom"), ("Richard", "Rick"), ("Edward", "Ted"), ("Daniel", "Dan"),
    ("Christopher", "Chris"), ("Anthony", "Tony"), ("Joseph", "Joe"), ("Alexander", "Alex"),
    ("José", "Pepe"), ("Łukasz", ""), ("Jürgen", ""), ("Seán", ""), ("Mohammed", ""),
    ("Raj", ""), ("Oliver", "Ollie"), ("Harry", ""), ("Jack", ""), ("George", ""),
    ("Noah", ""), ("Liam", ""), ("Kenji", ""), ("Wei", ""), ("Matthew", "Matt"),
    ("Benjamin", "Ben"), ("Samuel", "Sam"), ("Nicholas", "Nick"), ("Patrick", "Paddy"),
    ("David", "Dave"), ("Andrew", "Andy"), ("Stephen", "Steve"), ("Francesco", ""),
    ("Minh", ""),
]  # fmt: skip
LAST_NAMES = [
    "Kelly", "Smith", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson",
    "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White",
    "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson",
    "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee",
    "King", "Baker", "Harrison", "Morgan", "Allen", "Scott", "Phillips", "Watson", "Davis",
    "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kaur", "Khan", "Singh",
    "O'Brien", "Murphy", "Byrne", "Walsh", "Ryan", "O'Connor", "Müller", "Schmidt",
    "Schneider", "Fischer", "Nowak", "Kowalski", "Wiśniewski", "García", "Fernández",
    "Nguyễn", "Tran", "Chen", "Wang", "Rossi", "Bianchi", "Dubois", "Andersson", "Hansen",
    "MacDonald", "McKenzie", "Ahmed", "Ali", "Okafor", "Mensah", "Silva", "Santos",
]  # fmt: skip
_ASCII_FOLD = str.maketrans(
    {"Ł": "L", "ł": "l", "ø": "o", "Ø": "O", "ß": "ss", "'": "", "đ": "d", "Đ": "D"}
)
JUNK_EMAILS = ["test@test.com", "none@none.com", "noemail@example.com"]
JUNK_PHONES = ["0000000000", "1234567890", "07777777777"]
# "0000000000" reads as international ("00" prefix) with no number: staging nulls it
JUNK_PHONES_E164 = ["", "+441234567890", "+447777777777"]
JUNK_NAMES = ["n/a", "unknown", "null", "-"]
EMAIL_DOMAINS = [
    "gmail.example", "outlook.example", "yahoo.example", "icloud.example", "proton.example",
    "btinternet.example", "hotmail.example", "sky.example",
]  # fmt: skip
COMPANIES = [
    "Acme Logistics Ltd", "Northwind Traders", "Blue Harbour Consulting", "Kestrel Analytics",
    "Oakridge Partners LLP", "Brightwater Energy", "Pennine Foods", "Copperleaf Design",
    "Sterling & Vale", "Greenfield Estates", "Harbourline Shipping", "Quantum Ledger plc",
    "Riverside Dental", "Summit Outdoor Co", "Thistle Insurance", "Westgate Motors",
    "Beacon Health", "Ironbridge Engineering", "Lumen Media", "Marlow Legal",
]  # fmt: skip
JOB_TITLES = [
    "Procurement Manager", "Head of Marketing", "Office Manager", "CTO", "Buyer",
    "Operations Director", "Account Executive", "Facilities Coordinator", "CEO",
    "Senior Analyst", "HR Business Partner", "Purchasing Assistant",
]  # fmt: skip
STREETS = [
    "High", "Station", "Church", "Victoria", "Park", "Green", "Manor", "Mill", "Queen's",
    "King's", "Grange", "Albert", "New", "School", "North", "London", "Chestnut", "Elm",
    "Willow", "Castle", "Bridge", "Meadow", "Orchard", "Windsor", "York", "Cedar",
]  # fmt: skip
# (full, abbreviations...) for street types
STREET_TYPES = [
    ("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Lane", "Ln"), ("Close", "Cl"),
    ("Drive", "Dr"), ("Crescent", "Cres"), ("Gardens", "Gdns"),
]  # fmt: skip
# country -> (cities with postcode prefix and region), share among foreign people
CITIES = {
    "GB": [
        ("London", "SW", "Greater London"), ("London", "E", "Greater London"),
        ("London", "N", "Greater London"), ("Manchester", "M", "Greater Manchester"),
        ("Birmingham", "B", "West Midlands"), ("Leeds", "LS", "West Yorkshire"),
        ("Glasgow", "G", "Scotland"), ("Bristol", "BS", "South West"),
        ("Liverpool", "L", "Merseyside"), ("Edinburgh", "EH", "Scotland"),
        ("Cardiff", "CF", "Wales"), ("Belfast", "BT", "Northern Ireland"),
        ("Newcastle upon Tyne", "NE", "Tyne and Wear"), ("Sheffield", "S", "South Yorkshire"),
        ("Nottingham", "NG", "East Midlands"), ("Brighton", "BN", "East Sussex"),
        ("Oxford", "OX", "Oxfordshire"), ("Cambridge", "CB", "Cambridgeshire"),
    ],
    "US": [
        ("New York", "100", "NY"), ("Chicago", "606", "IL"), ("Austin", "787", "TX"),
        ("Seattle", "981", "WA"), ("Boston", "021", "MA"),
    ],
    "IE": [("Dublin", "D02", "Leinster"), ("Cork", "T12", "Munster"),
           ("Galway", "H91", "Connacht")],
    "DE": [("Berlin", "10", "Berlin"), ("München", "80", "Bayern"), ("Hamburg", "20", "Hamburg"),
           ("Köln", "50", "Nordrhein-Westfalen")],
    "AU": [("Sydney", "20", "NSW"), ("Melbourne", "30", "VIC"), ("Brisbane", "40", "QLD")],
}  # fmt: skip
COUNTRIES = ["GB", "US", "IE", "DE", "AU"]
FOREIGN_SHARE = [0.0, 0.35, 0.3, 0.2, 0.15]
COUNTRY_WRITTEN = {  # how CRM exports write a country
    "GB": ["GB", "United Kingdom", "UK", "gb"],
    "US": ["US", "United States", "USA", "us"],
    "IE": ["IE", "Ireland", "IRL", "ie"],
    "DE": ["DE", "Germany", "Deutschland", "de"],
    "AU": ["AU", "Australia", "AUS", "au"],
}
CALLING_CODE = {"GB": "44", "US": "1", "IE": "353", "DE": "49", "AU": "61"}
CATEGORIES = [
    ("Running", ["Trainers", "Shorts", "Vest", "Socks", "Jacket", "Cap"]),
    ("Cycling", ["Helmet", "Gloves", "Jersey", "Bottle", "Lights", "Pump"]),
    ("Outdoor", ["Tent", "Backpack", "Head Torch", "Stove", "Fleece", "Boots"]),
    ("Yoga", ["Mat", "Block", "Strap", "Leggings", "Bra Top", "Bolster"]),
    ("Swimming", ["Goggles", "Swimsuit", "Cap", "Towel", "Fins", "Kickboard"]),
    ("Home", ["Candle", "Throw", "Cushion", "Mug", "Vase", "Lamp"]),
    ("Kitchen", ["Pan", "Knife", "Board", "Grinder", "Kettle", "Tin"]),
    ("Garden", ["Trowel", "Gloves", "Planter", "Hose", "Seeds", "Shears"]),
    ("Beauty", ["Serum", "Cleanser", "Lip Balm", "Moisturiser", "Mask", "Brush"]),
    ("Kids", ["Puzzle", "Blocks", "Book", "Raincoat", "Wellies", "Kite"]),
    ("Tech", ["Earbuds", "Charger", "Cable", "Speaker", "Power Bank", "Stand"]),
    ("Books", ["Cookbook", "Novel", "Atlas", "Journal", "Guide", "Diary"]),
]  # fmt: skip
ADJECTIVES = [
    "Classic", "Ultra", "Everyday", "Trail", "Studio", "Nordic", "Coastal", "Urban",
    "Eco", "Pro", "Lite", "Heritage", "Summit", "Essential", "Cosy", "Rapid", "Sunset",
    "Midnight", "Alpine", "Harbour", "Meadow", "Granite", "Velvet", "Amber", "Cloud",
]  # fmt: skip
INTERESTS = [
    "running", "cycling", "hiking", "yoga", "cooking", "gardening", "travel", "music",
    "photography", "gaming", "fashion", "fitness", "reading", "tech", "parenting", "pets",
]  # fmt: skip
SUPPORT_TOPICS = [
    "delivery delay", "refund request", "wrong size", "damaged item", "account access",
    "loyalty points", "change address", "order cancellation", "product question",
    "unsubscribe", "payment failed", "missing item",
]  # fmt: skip
USER_AGENTS = {
    "desktop": [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    ],
    "mobile": [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0 Mobile Safari/537.36",
    ],
    "tablet": [
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0 Safari/537.36",
    ],
}
DEVICE_TYPES = ["desktop", "mobile", "tablet"]
APP_VERSIONS = ["4.2.0", "4.3.1", "4.4.0", "5.0.0", "5.0.2", "5.1.0"]
BOOL_WRITTEN = [("true", "false"), ("yes", "no"), ("1", "0"), ("Y", "N"), ("TRUE", "FALSE")]
BAD_TIMESTAMPS = ["31/02/2024", "not a date", "2024-13-45 10:00:00", "00/00/0000", "yesterday"]
BAD_NUMBERS = ["12,34x", "N/A", "£12..50", "abc", "1.2.3"]

START = np.datetime64("2023-01-01T00:00:00", "s").astype(np.int64)
END = np.datetime64("2025-06-30T23:59:59", "s").astype(np.int64)
DAY = 86_400
#: day luts cover 1930-01-01 .. 2026-12-31 (dates of birth and event times)
LUT_EPOCH_DAY = int(np.datetime64("1930-01-01", "D").astype(np.int64))
_LUT_DAYS = np.arange(
    np.datetime64("1930-01-01", "D"), np.datetime64("2027-01-01", "D"), dtype="datetime64[D]"
)

# --------------------------------------------------------------------------------------
# Vectorised string helpers
# --------------------------------------------------------------------------------------

STR = pa.string()
_LUTS: dict[str, pa.Array] = {}


def _lut(name: str) -> pa.Array:
    """Lookup arrays built once: dates as text, times of day as text, hex bytes."""
    if name not in _LUTS:
        if name == "day_iso":
            values = np.datetime_as_string(_LUT_DAYS, unit="D")
            _LUTS[name] = pa.array(values.tolist(), STR)
        elif name == "day_dmy":
            iso = np.datetime_as_string(_LUT_DAYS, unit="D")
            _LUTS[name] = pa.array([f"{d[8:10]}/{d[5:7]}/{d[0:4]}" for d in iso.tolist()], STR)
        elif name == "hms":
            s = np.arange(DAY)
            _LUTS[name] = pa.array(
                [
                    f"{h:02d}:{m:02d}:{x:02d}"
                    for h, m, x in zip(s // 3600, s // 60 % 60, s % 60, strict=True)
                ],
                STR,
            )
        elif name == "hm":
            s = np.arange(DAY)
            _LUTS[name] = pa.array(
                [f"{h:02d}:{m:02d}" for h, m in zip(s // 3600, s // 60 % 60, strict=True)]
            )
        else:
            raise KeyError(name)
    return _LUTS[name]


_HEX_LOWER = np.frombuffer(
    "".join(f"{i:02x}" for i in range(256)).encode(), dtype=np.uint8
).reshape(256, 2)
_HEX_UPPER = np.frombuffer(
    "".join(f"{i:02X}" for i in range(256)).encode(), dtype=np.uint8
).reshape(256, 2)


def s_arr(values) -> pa.Array:
    """A Python list of str as an Arrow string array."""
    return pa.array(list(values), STR)


def take(values, idx: np.ndarray) -> pa.Array:
    """values[idx] for a list or Arrow array of strings and an integer index array."""
    if not isinstance(values, pa.Array):
        values = s_arr(values)
    return values.take(pa.array(np.asarray(idx, dtype=np.int64)))


def cat(*parts) -> pa.Array:
    """Element-wise concatenation of Arrow arrays and Python str scalars."""
    return pc.binary_join_element_wise(*parts, "")


def num(values: np.ndarray, width: int = 0) -> pa.Array:
    text = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), STR)
    return pc.utf8_lpad(text, width, "0") if width else text


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    return cat(prefix, num(numbers, width))


def empty(n: int) -> pa.Array:
    return const("", n)


def const(value: str, n: int) -> pa.Array:
    """The same string n times, built from buffers (no Python objects)."""
    data = value.encode("utf-8")
    offsets = pa.py_buffer((np.arange(n + 1, dtype=np.int64) * len(data)).astype(np.int32))
    return pa.Array.from_buffers(STR, n, [None, offsets, pa.py_buffer(data * n)])


def where(mask: np.ndarray, a: pa.Array, b: pa.Array) -> pa.Array:
    """a where mask else b (both full length)."""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), a, b)


def replace(base: pa.Array, mask: np.ndarray, make) -> pa.Array:
    """base with the rows in mask replaced by make(indices) (an array of len(indices))."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return base
    replacement = make(np.flatnonzero(mask))
    if not isinstance(replacement, pa.Array):
        replacement = s_arr(replacement)
    return pc.replace_with_mask(base, pa.array(mask), replacement.cast(STR))


def hex_text(rng: np.random.Generator, n: int, nbytes: int, upper: bool = False) -> np.ndarray:
    """(n, 2*nbytes) uint8 array of random hex digits."""
    table = _HEX_UPPER if upper else _HEX_LOWER
    raw = rng.integers(0, 256, size=(n, nbytes), dtype=np.uint8)
    return table[raw].reshape(n, 2 * nbytes)


def bytes_to_str(chars: np.ndarray) -> pa.Array:
    """(n, w) uint8 ASCII array -> Arrow strings of width w."""
    n, w = chars.shape
    if n == 0:
        return pa.array([], STR)
    buffer = pa.py_buffer(np.ascontiguousarray(chars).tobytes())
    offsets = pa.py_buffer((np.arange(n + 1, dtype=np.int32) * w).tobytes())
    return pa.Array.from_buffers(STR, n, [None, offsets, buffer])


def uuid_text(rng: np.random.Generator, n: int, upper: bool = False) -> pa.Array:
    """Random version-4-shaped UUIDs as text (lower hex for cookies, upper for devices)."""
    digits = hex_text(rng, n, 16, upper)
    out = np.empty((n, 36), dtype=np.uint8)
    positions = [i for i in range(36) if i not in (8, 13, 18, 23)]
    out[:, positions] = digits
    out[:, [8, 13, 18, 23]] = ord("-")
    out[:, 14] = ord("4")
    out[:, 19] = np.frombuffer(b"89ab" if not upper else b"89AB", dtype=np.uint8)[
        rng.integers(0, 4, n)
    ]
    return bytes_to_str(out)


def chance(rng: np.random.Generator, n: int, rate: float, at_least_one: bool = True) -> np.ndarray:
    """Boolean mask with the given rate; at least one True when rate > 0 (if n > 0)."""
    if rate <= 0 or n == 0:
        return np.zeros(n, dtype=bool)
    mask = rng.random(n) < rate
    if at_least_one and not mask.any():
        mask[rng.integers(n)] = True
    return mask


def group_rank(group: np.ndarray) -> np.ndarray:
    """0, 1, 2... within runs of equal consecutive values of a sorted group array."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[True, group[1:] != group[:-1]]
    start_pos = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    return np.arange(n) - start_pos


def repeat_owner(counts: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts)


def fmt_ts(
    rng: np.random.Generator, secs: np.ndarray, variant_rate: float, tally: dict | None = None
) -> pa.Array:
    """Timestamps as text: mostly 'YYYY-MM-DD HH:MM:SS', some ISO 'T' with 'Z' or '+01:00',
    some 'dd/mm/yyyy HH:MM'. Values are UTC; an offset variant shows the local time."""
    secs = np.asarray(secs, dtype=np.int64)
    day = secs // DAY - LUT_EPOCH_DAY
    tod = secs % DAY
    base = cat(take(_lut("day_iso"), day), " ", take(_lut("hms"), tod))
    if variant_rate <= 0:
        return base
    kind = np.where(chance(rng, len(secs), variant_rate, False), rng.integers(1, 4, len(secs)), 0)
    if tally is not None:
        tally["date_formats"] += int((kind > 0).sum())

    def iso_z(ix):
        return cat(take(_lut("day_iso"), day[ix]), "T", take(_lut("hms"), tod[ix]), "Z")

    def iso_offset(ix):
        local = secs[ix] + 3600
        return cat(
            take(_lut("day_iso"), local // DAY - LUT_EPOCH_DAY),
            "T",
            take(_lut("hms"), local % DAY),
            "+01:00",
        )

    def dmy(ix):
        return cat(take(_lut("day_dmy"), day[ix]), " ", take(_lut("hm"), tod[ix]))

    base = replace(base, kind == 1, iso_z)
    base = replace(base, kind == 2, iso_offset)
    return replace(base, kind == 3, dmy)


def fmt_date(
    rng: np.random.Generator, days: np.ndarray, variant_rate: float, tally: dict | None = None
) -> pa.Array:
    """Dates (days since 1970) as ISO, some dd/mm/yyyy."""
    day = np.asarray(days, dtype=np.int64) - LUT_EPOCH_DAY
    base = take(_lut("day_iso"), day)
    dmy = chance(rng, len(day), variant_rate, False)
    if tally is not None:
        tally["date_formats"] += int(dmy.sum())
    return replace(base, dmy, lambda ix: take(_lut("day_dmy"), day[ix]))


def fmt_money(pence: np.ndarray) -> pa.Array:
    pence = np.asarray(pence, dtype=np.int64)
    sign = np.where(pence < 0, "-", "")
    whole = num(np.abs(pence) // 100)
    cents = num(np.abs(pence) % 100, 2)
    return cat(
        s_arr(sign.tolist()) if (pence < 0).any() else const("", len(pence)), whole, ".", cents
    )


def fmt_bool(
    rng: np.random.Generator, values: np.ndarray, variant_rate: float, tally: dict | None = None
) -> pa.Array:
    values = np.asarray(values, dtype=bool)
    style = np.where(
        chance(rng, len(values), variant_rate, False),
        rng.integers(1, len(BOOL_WRITTEN), len(values)),
        0,
    )
    if tally is not None:
        tally["boolean_formats"] += int((style > 0).sum())
    flat = [text for pair in BOOL_WRITTEN for text in pair]
    return take(flat, style * 2 + (~values).astype(np.int64))


def messy(
    rng: np.random.Generator,
    values: pa.Array,
    rate: float,
    case: bool = True,
    tally: dict | None = None,
) -> pa.Array:
    """Stray whitespace and (optionally) UPPER / lower / Capitalised case on some values."""
    n = len(values)
    if rate <= 0 or n == 0:
        return values
    kind = np.where(chance(rng, n, rate, False), rng.integers(1, 6 if case else 3, n), 0)
    if tally is not None:
        tally["messy_text"] += int((kind > 0).sum())
    values = replace(values, kind == 1, lambda ix: cat("  ", values.take(pa.array(ix))))
    values = replace(values, kind == 2, lambda ix: cat(values.take(pa.array(ix)), " "))
    values = replace(values, kind == 3, lambda ix: pc.utf8_upper(values.take(pa.array(ix))))
    values = replace(values, kind == 4, lambda ix: pc.utf8_lower(values.take(pa.array(ix))))
    return replace(values, kind == 5, lambda ix: pc.utf8_capitalize(values.take(pa.array(ix))))


def pick(options: list[pa.Array], choice: np.ndarray) -> pa.Array:
    """Row i from options[choice[i]] (all options as long as choice)."""
    n = len(choice)
    if n == 0:
        return pa.array([], STR)
    flat = pa.concat_arrays([o.cast(STR) for o in options])
    return flat.take(pa.array(np.asarray(choice, dtype=np.int64) * n + np.arange(n)))


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _typo_swap(name: str) -> str:
    i = max(1, len(name) // 2 - 1)
    if i + 1 >= len(name) or name[i] == name[i + 1]:
        return name + name[-1]  # a doubled last letter
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _typo_drop(name: str) -> str:
    i = len(name) // 2
    return name[:i] + name[i + 1 :] if len(name) > 3 else name + "e"


# first-name variant kinds (index into the flat variant table)
NV_EXACT, NV_INITIAL, NV_NICK, NV_SWAP, NV_DROP, NV_ASCII = range(6)


def _name_tables() -> dict[str, pa.Array]:
    firsts = [name for name, _ in FEMALE_NAMES] + [name for name, _ in MALE_NAMES]
    nicks = [nick or name for name, nick in FEMALE_NAMES + MALE_NAMES]
    first_variants = (
        firsts,
        [f"{name[0]}." for name in firsts],
        nicks,
        [_typo_swap(name) for name in firsts],
        [_typo_drop(name) for name in firsts],
        [_fold(name) for name in firsts],
    )
    last_variants = (
        LAST_NAMES,
        [f"{name[0]}." for name in LAST_NAMES],
        LAST_NAMES,
        [_typo_swap(name) for name in LAST_NAMES],
        [_typo_drop(name) for name in LAST_NAMES],
        [_fold(name) for name in LAST_NAMES],
    )
    return {
        "first": s_arr([v for kind in first_variants for v in kind]),
        "last": s_arr([v for kind in last_variants for v in kind]),
        "first_mail": s_arr([_fold(n).lower().replace(" ", "") for n in firsts]),
        "last_mail": s_arr([_fold(n).lower().replace(" ", "") for n in LAST_NAMES]),
        "n_first": len(firsts),
        "n_female": len(FEMALE_NAMES),
    }


NAMES = _name_tables()
CITY_ROWS = [(country, *row) for country in COUNTRIES for row in CITIES[country]]
CITY_COUNTRY = np.array([COUNTRIES.index(row[0]) for row in CITY_ROWS])
GB_PHONE_FORMATS = 7
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _perm(g: np.ndarray, modulus: int, mult: int, add: int) -> np.ndarray:
    """A bijection of 0..modulus-1 (mult coprime with 10), for unique numbers per person."""
    return (g.astype(np.int64) % modulus * mult + add) % modulus


class People:
    """The true people of one chunk, as numpy/Arrow columns (index = local person number)."""

    def __init__(self, rng: np.random.Generator, first_g: int, n: int, cfg: GeneratorConfig):
        self.n = n
        self.g = np.arange(first_g, first_g + n, dtype=np.int64)  # global person number
        self.person_id = ids("t", self.g, 7)
        # households: runs of consecutive people
        sizes = rng.choice([1, 2, 3, 4], p=[0.55, 0.25, 0.12, 0.08], size=n)
        hh = np.repeat(np.arange(n), sizes)[:n]
        self.hh = hh  # household number local (first member's index in the run)
        starts = np.r_[0, np.flatnonzero(hh[1:] != hh[:-1]) + 1]
        self.hh_first = np.repeat(starts, np.diff(np.r_[starts, n]))
        self.hh_size = np.bincount(hh, minlength=n)[hh]
        self.hh_rank = np.arange(n) - self.hh_first
        self.household_id = ids("H", self.g[self.hh_first], 7)

        self.female = rng.random(n) < 0.5
        nf, nfem = NAMES["n_first"], NAMES["n_female"]
        self.first_idx = np.where(
            self.female, rng.integers(0, nfem, n), rng.integers(nfem, nf, n)
        ).astype(np.int64)
        last = rng.integers(0, len(LAST_NAMES), n)
        same_last = rng.random(n) < 0.8
        self.last_idx = np.where(same_last, last[self.hh_first], last).astype(np.int64)
        self.first_name = take(NAMES["first"], self.first_idx)
        self.last_name = take(NAMES["last"], self.last_idx)
        born = np.datetime64("1945-01-01", "D").astype(np.int64)
        self.dob = born + rng.integers(0, 61 * 365, n)

        # where they live (per household), and where they lived before a move
        foreign = chance(rng, n, cfg.foreign_people)[self.hh_first]
        country = np.where(foreign, rng.choice(len(COUNTRIES), p=FOREIGN_SHARE, size=n), 0)
        self.country = country[self.hh_first]
        self.city_idx = self._city(rng, self.country)[self.hh_first]
        self.postcode = self._postcode(rng, self.city_idx)
        self.house = rng.integers(1, 160, n)[self.hh_first]
        self.street = rng.integers(0, len(STREETS), n)[self.hh_first]
        self.street_type = rng.integers(0, len(STREET_TYPES), n)[self.hh_first]
        self.flat = np.where(rng.random(n) < 0.2, rng.integers(1, 30, n), 0)[self.hh_first]
        self.moved = chance(rng, n, cfg.moved_address)
        self.moved_at = rng.integers(START + 120 * DAY, END - 60 * DAY, n)
        self.old_city_idx = self._city(rng, self.country)
        self.old_postcode = self._postcode(rng, self.old_city_idx)
        self.old_house = rng.integers(1, 160, n)
        self.old_street = rng.integers(0, len(STREETS), n)
        self.old_street_type = rng.integers(0, len(STREET_TYPES), n)

        # emails: the person number makes every address unique
        suffix = num(_perm(self.g, 10_000_000, 5_382_917, 2_718_281))
        fm = take(NAMES["first_mail"], self.first_idx)
        lm = take(NAMES["last_mail"], self.last_idx)
        initial = pc.utf8_slice_codeunits(fm, 0, 1)
        local = pick(
            [
                cat(fm, ".", lm, suffix),
                cat(fm, lm, suffix),
                cat(initial, lm, suffix),
                cat(fm, "_", lm, suffix),
                cat(lm, ".", fm, suffix),
            ],
            rng.integers(0, 5, n),
        )
        domain = rng.integers(0, len(EMAIL_DOMAINS), n)
        self.email = cat(local, "@", take(EMAIL_DOMAINS, domain))
        self.changed_email = chance(rng, n, cfg.changed_email)
        self.email_changed_at = rng.integers(START + 90 * DAY, END - 90 * DAY, n)
        old_domain = (domain + rng.integers(1, len(EMAIL_DOMAINS), n)) % len(EMAIL_DOMAINS)
        self.old_email = cat(fm, lm, suffix, "@", take(EMAIL_DOMAINS, old_domain))
        self.b2b = chance(rng, n, cfg.b2b)
        self.company_idx = rng.integers(0, len(COMPANIES), n)
        self.job_idx = rng.integers(0, len(JOB_TITLES), n)
        slug = take(
            [c.lower().replace(" ", "").replace("&", "and") for c in COMPANIES], self.company_idx
        )
        self.work_email = cat(initial, ".", lm, ".", suffix, "@", slug, ".example")

        self._phones(rng)
        self.ip = cat(
            num(rng.integers(2, 224, n)[self.hh_first]), ".",
            num(rng.integers(0, 256, n)[self.hh_first]), ".",
            num(rng.integers(0, 256, n)[self.hh_first]), ".",
            num(rng.integers(1, 255, n)[self.hh_first]),
        )  # fmt: skip
        # participation in the systems of record
        self.has_account = rng.random(n) < 0.7
        self.has_esp = rng.random(n) < 0.75
        self.has_crm = (rng.random(n) < 0.35) | self.b2b
        self.has_loyalty = rng.random(n) < 0.3
        self.has_web = rng.random(n) < 0.9
        self.has_app = rng.random(n) < 0.45
        self.activity = rng.lognormal(0.0, 0.9, n)  # skew: a few very active people
        self.activity /= np.exp(0.9**2 / 2)  # mean 1
        self.customer_id = ids("C", self.g, 7)
        self.loyalty_id = ids("L", _perm(self.g, 100_000_000, 31_415_927, 27_182_818), 8)
        self.cards = np.where(rng.random(n) < 0.3, 2, 1)
        card_hex = hex_text(rng, n * 2, 12)
        self.card = bytes_to_str(card_hex)  # index i*2 + k

    @staticmethod
    def _city(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
        counts = np.bincount(CITY_COUNTRY, minlength=len(COUNTRIES))
        offsets = np.r_[0, np.cumsum(counts)[:-1]]
        return offsets[country] + (rng.random(len(country)) * counts[country]).astype(np.int64)

    @staticmethod
    def _postcode(rng: np.random.Generator, city_idx: np.ndarray) -> pa.Array:
        n = len(city_idx)
        prefix = take([row[2] for row in CITY_ROWS], city_idx)
        letters = [take(list(_LETTERS), rng.integers(0, len(_LETTERS), n)) for _ in range(3)]
        d = [num(rng.integers(0, 10, n)) for _ in range(4)]
        out_no = num(rng.integers(1, 21, n))
        by_country = [
            cat(prefix, out_no, " ", d[0], letters[0], letters[1]),  # GB  SW12 3AB
            cat(prefix, d[0], d[1]),  # US 5 digits
            cat(prefix, " ", letters[2], d[1], d[2], d[3]),  # IE eircode
            cat(prefix, d[0], d[1], d[2]),  # DE 5 digits
            cat(prefix, d[0], d[1]),  # AU 4 digits
        ]
        return pick(by_country, CITY_COUNTRY[city_idx])

    def _phones(self, rng: np.random.Generator) -> None:
        n, g = self.n, self.g
        gb = cat("7", num(_perm(g, 10**9, 604_127_391, 381_920_457), 9))
        us_area = take(["212", "312", "512", "206", "617"], rng.integers(0, 5, n))
        us = cat(us_area, num(_perm(g, 10**7, 7_160_493, 2_093_817), 7))
        ie = cat("87", num(_perm(g, 10**7, 3_333_337, 1_000_003), 7))
        de = cat("151", num(_perm(g, 10**8, 12_345_679, 4_242_424), 8))
        au = cat("4", num(_perm(g, 10**8, 98_765_431, 1_111_111), 8))
        nsn = pick([gb, us, ie, de, au], self.country)
        self.phone_e164 = cat("+", take([CALLING_CODE[c] for c in COUNTRIES], self.country), nsn)

        def sl(a, i, j):
            return pc.utf8_slice_codeunits(a, i, j)

        a, b = sl(gb, 0, 4), sl(gb, 4, 10)
        gb_forms = [
            cat("0", a, " ", b),
            cat("+44 ", a, " ", b),
            cat("0044 ", a, " ", b),
            cat("(0)", a, "-", sl(b, 0, 3), "-", sl(b, 3, 6)),
            cat("44", a, b),
            cat("+44 (0)", a, " ", b),
            cat("0", a, b),
        ]
        us_forms = [
            cat("+1 ", sl(us, 0, 3), " ", sl(us, 3, 6), " ", sl(us, 6, 10)),
            cat("+1-", sl(us, 0, 3), "-", sl(us, 3, 6), "-", sl(us, 6, 10)),
            cat("+1", us),
            cat("+1 (", sl(us, 0, 3), ") ", sl(us, 3, 6), "-", sl(us, 6, 10)),
        ]
        ie_forms = [
            cat("+353 ", sl(ie, 0, 2), " ", sl(ie, 2, 5), " ", sl(ie, 5, 9)),
            cat("+353 ", sl(ie, 0, 2), " ", sl(ie, 2, 9)),
            cat("+353 (0)", sl(ie, 0, 2), " ", sl(ie, 2, 5), " ", sl(ie, 5, 9)),
            cat("+353", ie),
        ]
        de_forms = [
            cat("+49 ", sl(de, 0, 3), " ", sl(de, 3, 11)),
            cat("+49-", sl(de, 0, 3), "-", sl(de, 3, 11)),
            cat("+49 (0)", sl(de, 0, 3), " ", sl(de, 3, 11)),
            cat("+49", de),
        ]
        au_forms = [
            cat("+61 ", sl(au, 0, 3), " ", sl(au, 3, 6), " ", sl(au, 6, 9)),
            cat("+61 ", sl(au, 0, 3), " ", sl(au, 3, 9)),
            cat("+61 (0)", sl(au, 0, 3), " ", sl(au, 3, 6), " ", sl(au, 6, 9)),
            cat("+61", au),
        ]
        foreign = [us_forms, ie_forms, de_forms, au_forms]
        # phone_forms[k]: format k for everyone (foreign people cycle through their 4)
        self.phone_forms = []
        for k in range(GB_PHONE_FORMATS):
            options = [gb_forms[k]] + [forms[k % 4] for forms in foreign]
            self.phone_forms.append(pick(options, self.country))
        self.phone_flat = pa.concat_arrays(self.phone_forms)


# --------------------------------------------------------------------------------------
# Shared (not per person) content: products and campaigns
# --------------------------------------------------------------------------------------


class Catalogue:
    def __init__(self, rng: np.random.Generator):
        names, categories = [], []
        for category, nouns in CATEGORIES:
            for i in range(25):
                adjective = ADJECTIVES[(i * 7 + len(category)) % len(ADJECTIVES)]
                noun = nouns[i % len(nouns)]
                names.append(f"{adjective} {noun}" + (f" {i // 12 + 1}" if i >= 12 else ""))
                categories.append(category)
        self.n = len(names)
        self.product_id = ids("P", np.arange(1, self.n + 1), 5)
        self.name = s_arr(names)
        self.category = s_arr(categories)
        self.price = (rng.integers(3, 150, self.n) * 100 + rng.choice([0, 50, 99], self.n)).astype(
            np.int64
        )
        weights = 1.0 / np.arange(1, self.n + 1) ** 0.8
        rng.shuffle(weights)
        self.weights = weights / weights.sum()
        # campaigns: about two a week
        self.campaign_at = np.sort(rng.integers(START, END - 3 * DAY, 260))
        days = self.campaign_at // DAY - LUT_EPOCH_DAY
        self.campaign_id = cat("CMP-", take(_lut("day_iso"), days), "-", num(np.arange(1, 261), 3))

    def products(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return rng.choice(self.n, p=self.weights, size=n)

    def table(self) -> dict[str, pa.Array]:
        return {
            "product_id": self.product_id,
            "product_name": self.name,
            "category": self.category,
            "price": fmt_money(self.price),
        }


# --------------------------------------------------------------------------------------
# Output writers
# --------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, path: Path, columns: list[str], file_format: str):
        self.path, self.columns, self.format = path, columns, file_format
        self.schema = pa.schema([(c, STR) for c in columns])
        if file_format == "csv":
            self._writer = pacsv.CSVWriter(str(path), self.schema)
        else:
            self._writer = pq.ParquetWriter(str(path), self.schema, compression="zstd")
        self.rows = 0

    def write(self, columns: dict[str, pa.Array]) -> None:
        table = pa.Table.from_arrays(
            [columns[c].cast(STR) for c in self.columns], schema=self.schema
        )
        if table.num_rows:
            self._writer.write_table(table)
            self.rows += table.num_rows

    def close(self) -> None:
        self._writer.close()


# --------------------------------------------------------------------------------------
# One chunk of people: every table's rows for them, plus the truth
# --------------------------------------------------------------------------------------

KINDS = ["personal", "shared_device", "store_email", "junk"]
K_PERSONAL, K_SHARED, K_STORE, K_JUNK = range(4)
WEB_TYPES = [
    "page_view", "product_view", "add_to_cart", "checkout", "form_submit", "login", "email_click",
]  # fmt: skip
APP_TYPES = ["app_open", "product_view", "add_to_cart", "checkout", "push_open", "login"]
STREET_TYPE_FLAT = [text for pair in STREET_TYPES for text in pair]
GARBAGE_DATES = ["31/02/1985", "1985-02-30", "00/00/0000", "32/13/1990", "unknown"]


class Chunk:
    """Builds all rows for one chunk of people; tables and truth are appended to ``out``."""

    def __init__(
        self,
        cfg: GeneratorConfig,
        catalogue: Catalogue,
        rng: np.random.Generator,
        people: People,
        counters: dict[str, int],
        situations: dict[str, int],
    ):
        self.cfg, self.cat, self.rng, self.p = cfg, catalogue, rng, people
        self.counters, self.sit = counters, situations
        self.out: dict[str, list[dict[str, pa.Array]]] = {t: [] for t in TABLES}
        self.dups: dict[str, int] = {t: 0 for t in TABLES}
        self.records: list[dict[str, pa.Array]] = []
        self.idents: list[tuple[str, pa.Array, np.ndarray, np.ndarray]] = []

    # ---- small helpers -------------------------------------------------------------
    def next_ids(self, key: str, k: int) -> np.ndarray:
        start = self.counters.get(key, 0)
        self.counters[key] = start + k
        return np.arange(start + 1, start + k + 1, dtype=np.int64)

    def ts(self, secs: np.ndarray) -> pa.Array:
        return fmt_ts(self.rng, secs, self.cfg.date_formats, self.sit)

    def mess(self, values: pa.Array, case: bool = True) -> pa.Array:
        return messy(self.rng, values, self.cfg.messy_text, case, self.sit)

    def present(self, n: int, share: float) -> np.ndarray:
        return self.rng.random(n) < share

    def blank(self, values: pa.Array, present: np.ndarray) -> pa.Array:
        return where(present, values, empty(len(values)))

    def email_at(self, owner: np.ndarray, t: np.ndarray, work: np.ndarray | None = None):
        """Clean email of each owner at time t (old address before a change, work if asked)."""
        p = self.p
        old = p.changed_email[owner] & (t < p.email_changed_at[owner])
        values = where(old, p.old_email.take(pa.array(owner)), p.email.take(pa.array(owner)))
        if work is not None:
            values = where(work, p.work_email.take(pa.array(owner)), values)
        return values

    def contact_email(self, owner, t, share, work=None, junk=True):
        """(written, clean, kind) emails; absent ones are ''. Junk values replace a few."""
        n = len(owner)
        clean = self.email_at(owner, t, work)
        kind = np.full(n, K_PERSONAL)
        present = self.present(n, share)
        if junk:
            is_junk = chance(self.rng, n, self.cfg.junk_values, False) & present
            self.sit["junk_values"] += int(is_junk.sum())
            clean = replace(
                clean, is_junk, lambda ix: take(JUNK_EMAILS, self.rng.integers(0, 3, len(ix)))
            )
            kind[is_junk] = K_JUNK
        written = self.blank(self.mess(clean), present)
        return written, self.blank(clean, present), kind

    def contact_phone(self, owner, share, junk=True):
        """(written, clean E.164, kind) phones; absent ones are ''."""
        p, rng, n = self.p, self.rng, len(owner)
        gb = p.country[owner] == 0
        odd = chance(rng, n, self.cfg.phone_formats, False)
        code = np.where(gb, np.where(odd, rng.integers(1, GB_PHONE_FORMATS, n), 0),
                        rng.integers(0, 4, n))  # fmt: skip
        present = self.present(n, share)
        self.sit["phone_formats"] += int((gb & (code > 0) & present).sum())
        written = p.phone_flat.take(pa.array(code * p.n + owner))
        clean = p.phone_e164.take(pa.array(owner))
        kind = np.full(n, K_PERSONAL)
        if junk:
            is_junk = chance(rng, n, self.cfg.junk_values, False) & present
            self.sit["junk_values"] += int(is_junk.sum())
            which = rng.integers(0, 3, n)
            written = replace(written, is_junk, lambda ix: take(JUNK_PHONES, which[ix]))
            clean = replace(clean, is_junk, lambda ix: take(JUNK_PHONES_E164, which[ix]))
            kind[is_junk] = K_JUNK
        written = self.mess(written, case=False)
        return self.blank(written, present), self.blank(clean, present), kind

    def first_name(self, owner: np.ndarray, junk: bool = False) -> pa.Array:
        rng, n = self.rng, len(owner)
        variant = chance(rng, n, self.cfg.name_variants, False)
        kind = np.where(
            variant,
            rng.choice([NV_INITIAL, NV_NICK, NV_SWAP, NV_DROP, NV_ASCII], p=[0.3, 0.25, 0.15,
                       0.15, 0.15], size=n),
            NV_EXACT,
        )  # fmt: skip
        self.sit["name_variants"] += int(variant.sum())
        values = NAMES["first"].take(pa.array(kind * NAMES["n_first"] + self.p.first_idx[owner]))
        values = self.mess(values)
        return self.junk_name(values) if junk else values

    def last_name(self, owner: np.ndarray, junk: bool = False) -> pa.Array:
        rng, n = self.rng, len(owner)
        variant = chance(rng, n, self.cfg.name_variants / 2, False)
        kind = np.where(variant, rng.choice([NV_SWAP, NV_DROP, NV_ASCII], size=n), NV_EXACT)
        self.sit["name_variants"] += int(variant.sum())
        values = NAMES["last"].take(pa.array(kind * len(LAST_NAMES) + self.p.last_idx[owner]))
        values = self.mess(values)
        return self.junk_name(values) if junk else values

    def junk_name(self, values: pa.Array) -> pa.Array:
        is_junk = chance(self.rng, len(values), self.cfg.junk_values / 2, False)
        self.sit["junk_values"] += int(is_junk.sum())
        return replace(
            values, is_junk, lambda ix: take(JUNK_NAMES, self.rng.integers(0, 4, len(ix)))
        )

    def address(self, owner: np.ndarray, t: np.ndarray) -> dict[str, pa.Array]:
        """Address at time t: the old one before a move; with St/Rd/Apt/postcode variants."""
        p, rng, n = self.p, self.rng, len(owner)
        old = p.moved[owner] & (t < p.moved_at[owner])
        house = np.where(old, p.old_house[owner], p.house[owner])
        street = np.where(old, p.old_street[owner], p.street[owner])
        stype = np.where(old, p.old_street_type[owner], p.street_type[owner])
        city = np.where(old, p.old_city_idx[owner], p.city_idx[owner])
        flat = np.where(old, 0, p.flat[owner])
        o = pa.array(owner)
        postcode = where(old, p.old_postcode.take(o), p.postcode.take(o))
        variant = chance(rng, n, self.cfg.address_variants, False)
        self.sit["address_variants"] += int(variant.sum())
        line1 = cat(
            num(house), " ", take(STREETS, street), " ",
            take(STREET_TYPE_FLAT, stype * 2 + variant),
        )  # fmt: skip
        flat_word = where(variant & (rng.random(n) < 0.5), const("Apt", n), const("Flat", n))
        line2 = self.blank(cat(flat_word, " ", num(flat)), flat > 0)
        pc_kind = np.where(variant, rng.integers(0, 3, n), 0)
        postcode = replace(postcode, pc_kind == 1, lambda ix: pc.replace_substring(
            postcode.take(pa.array(ix)), " ", ""))  # fmt: skip
        postcode = replace(postcode, pc_kind == 2, lambda ix: pc.utf8_lower(
            postcode.take(pa.array(ix))))  # fmt: skip
        country = CITY_COUNTRY[city]
        written = np.where(variant, rng.integers(0, 4, n), 0)
        return {
            "line1": self.mess(line1),
            "line2": line2,
            "one_line": where(flat > 0, cat(line2, ", ", line1), line1),
            "city": self.mess(take([row[1] for row in CITY_ROWS], city)),
            "postcode": postcode,
            "region": take([row[3] for row in CITY_ROWS], city),
            "country": take(
                [v for c in COUNTRIES for v in COUNTRY_WRITTEN[c]], country * 4 + written
            ),
            "moved": old,
        }

    def ident(self, itype: str, values: pa.Array, owner: np.ndarray, kind, keep=None) -> None:
        n = len(owner)
        kind = np.broadcast_to(np.asarray(kind, dtype=np.int64), (n,))
        keep = np.ones(n, dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
        self.idents.append((itype, values, np.asarray(owner), kind, keep))

    # ---- finishing a table ---------------------------------------------------------
    def finish_records(
        self,
        table: str,
        cols: dict[str, pa.Array],
        owner: np.ndarray,
        t: np.ndarray,
        time_col: str,
        idents: list[tuple[str, pa.Array, object, str]],
        version: np.ndarray | None = None,
        number: tuple[str, list[str]] | None = None,
        optional: tuple[str, object] | None = None,
    ) -> None:
        """Defects, truth records, identifiers, key conflicts, padded ids, exact copies.

        ``idents``: (identifier_type, clean values, kind, source column). ``optional``:
        (column, list of garbage values or a function of row indices)."""
        cfg, rng, n = self.cfg, self.rng, len(owner)
        id_col = RECORD_ID[table]
        defect = np.zeros(n, dtype=np.int64)
        if version is not None:
            defect[version] = D_VERSION
        plan = [
            (D_MISSING, cfg.missing_id, "missing_id"),
            (D_TS, cfg.bad_timestamp, "bad_timestamp"),
        ]
        if number is not None:
            plan.append((D_NUM, cfg.bad_number, "bad_number"))
        if optional is not None:
            plan.append((D_OPT, cfg.bad_optional_value, "bad_optional_value"))
        for code, rate, name in plan:
            candidates = np.flatnonzero(defect == D_NONE)
            hit = candidates[chance(rng, len(candidates), rate)]
            defect[hit] = code
            self.sit[name] += len(hit)
        clean_id = cols[id_col]

        def garbage(values):
            return lambda ix: take(values, rng.integers(0, len(values), len(ix)))

        cols[id_col] = replace(clean_id, defect == D_MISSING, garbage(["", " "]))
        cols[time_col] = replace(cols[time_col], defect == D_TS, garbage(BAD_TIMESTAMPS))
        if number is not None:
            cols[number[0]] = replace(cols[number[0]], defect == D_NUM, garbage(number[1]))
        if optional is not None:
            make = optional[1] if callable(optional[1]) else garbage(optional[1])
            cols[optional[0]] = replace(cols[optional[0]], defect == D_OPT, make)
        for itype, values, kind, source in idents:
            keep = ~((defect == D_MISSING) & (source == id_col))
            if optional is not None:
                keep &= ~((defect == D_OPT) & (source == optional[0]))
            self.ident(itype, values, owner, kind, keep)
        truth_id = where(defect == D_MISSING, empty(n), clean_id)
        self.add_truth(table, truth_id, owner, defect)

        # the same id again with other content (tables without updated_at semantics)
        if version is None and cfg.duplicate_key_conflicts > 0:
            candidates = np.flatnonzero(defect == D_NONE)
            sel = candidates[chance(rng, len(candidates), cfg.duplicate_key_conflicts)]
            self.sit["duplicate_key_conflicts"] += len(sel)
            if len(sel):
                idx = pa.array(np.r_[np.arange(n), sel])
                cols = {c: a.take(idx) for c, a in cols.items()}
                shifted = np.minimum(t[sel] + rng.integers(3600, 72 * 3600, len(sel)), END)
                conflict_time = self.ts(shifted)
                mask = np.r_[np.zeros(n, dtype=bool), np.ones(len(sel), dtype=bool)]
                cols[time_col] = pc.replace_with_mask(cols[time_col], pa.array(mask), conflict_time)
                self.add_truth(
                    table, clean_id.take(pa.array(sel)), owner[sel], np.full(len(sel), D_CONFLICT)
                )
        # ids padded with stray spaces (never another case)
        m = len(cols[id_col])
        pad = np.where(chance(rng, m, cfg.messy_text / 3, False), rng.integers(1, 3, m), 0)
        ids_col = cols[id_col]
        ids_col = replace(ids_col, pad == 1, lambda ix: cat(" ", ids_col.take(pa.array(ix))))
        cols[id_col] = replace(ids_col, pad == 2, lambda ix: cat(ids_col.take(pa.array(ix)), "  "))
        self.emit(table, cols)

    def finish_plain(self, table: str, cols: dict[str, pa.Array], time_col: str | None) -> None:
        """Child and reference tables: some unparseable timestamps and exact copies."""
        if time_col is not None:
            n = len(cols[time_col])
            bad = chance(self.rng, n, self.cfg.bad_timestamp)
            self.sit["bad_timestamp"] += int(bad.sum())
            cols[time_col] = replace(
                cols[time_col],
                bad,
                lambda ix: take(BAD_TIMESTAMPS, self.rng.integers(0, len(BAD_TIMESTAMPS), len(ix))),
            )
        self.emit(table, cols)

    def emit(self, table: str, cols: dict[str, pa.Array]) -> None:
        m = len(next(iter(cols.values())))
        dup = np.flatnonzero(chance(self.rng, m, self.cfg.exact_duplicates))
        self.sit["exact_duplicates"] += len(dup)
        self.dups[table] += len(dup)
        if len(dup):
            order = pa.array(np.sort(np.r_[np.arange(m), dup], kind="stable"))
            cols = {c: a.take(order) for c, a in cols.items()}
        missing = [c for c in TABLES[table] if c not in cols]
        if missing:
            raise AssertionError(f"{table}: no column(s) {missing}")
        self.out[table].append(cols)

    def add_truth(self, table: str, record_id: pa.Array, owner: np.ndarray, defect) -> None:
        n = len(owner)
        self.records.append(
            {
                "source_table": const(table, n),
                "source_record_id": pc.utf8_trim_whitespace(record_id),
                "person_id": self.p.person_id.take(pa.array(owner)),
                "defect": take(DEFECTS, defect),
            }
        )

    def identifiers(self) -> pa.Table:
        """Distinct (type, value, person, kind), sorted."""
        parts = []
        for itype, values, owner, kind, keep in self.idents:
            values = values.cast(STR)
            keep = keep & (pc.not_equal(values, "").to_numpy(zero_copy_only=False))
            if not keep.any():
                continue
            sel = pa.array(np.flatnonzero(keep))
            parts.append(
                pa.table(
                    {
                        "identifier_type": const(itype, int(keep.sum())),
                        "identifier_value": values.take(sel),
                        "person_id": self.p.person_id.take(pa.array(owner[keep])),
                        "kind": take(KINDS, kind[keep]),
                    }
                )
            )
        if not parts:
            return pa.table({c: pa.array([], STR) for c in TRUTH_IDENTIFIERS})
        table = pa.concat_tables(parts)
        table = table.group_by(TRUTH_IDENTIFIERS, use_threads=False).aggregate([])
        table = table.select(TRUTH_IDENTIFIERS)
        return table.sort_by([(c, "ascending") for c in TRUTH_IDENTIFIERS])

    # ---- systems of record -----------------------------------------------------------
    def build(self) -> None:
        self.shop_customers()
        self.shop_orders()
        self.esp()
        self.web_events()
        self.app_events()
        self.crm_contacts()
        self.support_tickets()
        self.loyalty_members()
        self.enrichment_profiles()
        self.consent_events()
        self.privacy_requests()
        p = self.p
        self.sit["multi_device"] += int(self.multi.sum())
        self.sit["b2b"] += int(p.b2b.sum())
        self.sit["moved_address"] += int(p.moved.sum())
        self.sit["changed_email"] += int(p.changed_email.sum())
        self.sit["foreign_people"] += int((p.country > 0).sum())

    def shop_customers(self) -> None:
        p, rng, cfg = self.p, self.rng, self.cfg
        acc = np.flatnonzero(p.has_account)
        k = len(acc)
        created = rng.integers(START, END - 30 * DAY, k)
        updated = np.minimum(created + rng.integers(0, 200 * DAY, k), END)
        version = np.zeros(k, dtype=bool)
        if cfg.new_versions > 0:
            stale = p.changed_email[acc] & (updated < p.email_changed_at[acc])
            version = chance(rng, k, cfg.new_versions) | stale
        later = np.maximum(updated, np.where(p.changed_email[acc], p.email_changed_at[acc], 0))
        later = np.minimum(later[version] + rng.integers(DAY, 90 * DAY, int(version.sum())), END)
        owner = np.r_[acc, acc[version]]
        created = np.r_[created, created[version]]
        updated = np.r_[updated, later]
        is_version = np.r_[np.zeros(k, dtype=bool), np.ones(len(later), dtype=bool)]
        self.sit["new_versions"] += len(later)
        n = len(owner)
        self.customer_created = (acc, created[:k])
        work = p.b2b[owner] & (p.g[owner] % 2 == 0)
        email, email_clean, email_kind = self.contact_email(owner, updated, 1.0, work)
        phone, phone_clean, phone_kind = self.contact_phone(owner, 1.0)
        has_phone = rng.random(k) < 0.6  # the same in a later version
        has_phone = np.r_[has_phone, has_phone[version]]
        phone, phone_clean = self.blank(phone, has_phone), self.blank(phone_clean, has_phone)
        customer_id = p.customer_id.take(pa.array(owner))
        cols = {
            "customer_id": customer_id,
            "email": email,
            "phone": phone,
            "first_name": self.first_name(owner, junk=True),
            "last_name": self.last_name(owner),
            "created_at": self.ts(created),
            "updated_at": self.ts(updated),
            "accepts_marketing": fmt_bool(rng, rng.random(n) < 0.55, cfg.boolean_formats, self.sit),
        }
        self.finish_records(
            "shop_customers", cols, owner, updated, "created_at",
            [
                ("customer_id", customer_id, K_PERSONAL, "customer_id"),
                ("email", email_clean, email_kind, "email"),
                ("phone", phone_clean, phone_kind, "phone"),
            ],
            version=is_version,
            optional=("email", lambda ix: pc.replace_substring(
                email.take(pa.array(ix)), "@", " at ")),
        )  # fmt: skip

    def shop_orders(self) -> None:
        p, rng, cfg, catalogue = self.p, self.rng, self.cfg, self.cat
        owner = repeat_owner(rng.poisson(2.0 * p.activity))
        m = len(owner)
        t = rng.integers(START, END, m)
        channel = rng.choice(3, p=[0.6, 0.2, 0.2], size=m)  # web, app, store
        account = p.has_account[owner]
        if cfg.guest_checkout <= 0:
            channel = np.where(~account & (channel < 2), 2, channel)
        online = channel < 2
        guest = online & (~account | chance(rng, m, cfg.guest_checkout, False))
        self.sit["guest_checkout"] += int(guest.sum())
        store = channel == 2
        with_customer = (online & ~guest) | (store & account & (rng.random(m) < 0.4))
        customer_id = self.blank(p.customer_id.take(pa.array(owner)), with_customer)
        work = p.b2b[owner] & (p.g[owner] % 2 == 0)
        by_email = rng.random(m) < 0.7
        email_share = np.where(guest, by_email, np.where(online, 0.9, 0.3))
        phone_share = np.where(guest, ~by_email, np.where(online, 0.3, 0.1))
        email, email_clean, email_kind = self.contact_email(owner, t, 1.0, work)
        email_on = rng.random(m) < email_share
        phone, phone_clean, phone_kind = self.contact_phone(owner, 1.0)
        phone_on = rng.random(m) < phone_share
        email, email_clean = self.blank(email, email_on), self.blank(email_clean, email_on)
        phone, phone_clean = self.blank(phone, phone_on), self.blank(phone_clean, phone_on)
        store_no = np.where(rng.random(m) < 0.8, p.g[owner] % 40 + 1, rng.integers(1, 41, m))
        # a quarter of the stores key their till's own email for customers without one;
        # there it is used on about 4 x rate of the orders (about `rate` of all store orders)
        till_email_store = store_no <= 10
        shared = (
            store & till_email_store & chance(rng, m, min(1.0, 4 * cfg.store_shared_email), False)
        )
        self.sit["store_shared_email"] += int(shared.sum())
        store_email = cat("store", num(store_no, 3), "@shop.example")
        email = where(shared, self.mess(store_email), email)
        email_clean = where(shared, store_email, email_clean)
        email_kind = np.where(shared, K_STORE, email_kind)
        order_no = self.next_ids("order", m)
        order_id = ids("O", order_no, 9)

        # lines, amounts
        n_lines = rng.choice([1, 2, 3, 4], p=[0.5, 0.27, 0.15, 0.08], size=m)
        line_order = repeat_owner(n_lines)
        n_l = len(line_order)
        product = catalogue.products(n_l, rng)
        quantity = rng.choice([1, 2, 3], p=[0.78, 0.17, 0.05], size=n_l)
        unit = catalogue.price[product]
        unit = np.where(rng.random(n_l) < 0.1, unit * 8 // 10, unit)
        subtotal = np.bincount(line_order, weights=quantity * unit, minlength=m).astype(np.int64)
        discounted = rng.random(m) < 0.25
        discount = np.where(
            discounted, np.where(rng.random(m) < 0.6, subtotal // 10, np.minimum(500, subtotal)), 0
        )
        total = subtotal - discount
        country = p.country[owner]
        currency = np.select([country == 1, (country == 2) | (country == 3)], [2, 1], 0)
        currency = np.where(rng.random(m) < 0.03, rng.integers(1, 3, m), currency)
        status = rng.choice(3, p=[0.88, 0.07, 0.05], size=m)
        loyalty = p.has_loyalty[owner] & (rng.random(m) < np.where(store, 0.7, 0.25))
        loyalty_id = self.blank(p.loyalty_id.take(pa.array(owner)), loyalty)
        card_k = (rng.random(m) * p.cards[owner]).astype(np.int64)
        paid_card = ~(store & (rng.random(m) < 0.15))
        fingerprint = self.blank(p.card.take(pa.array(owner * 2 + card_k)), paid_card)
        addr = self.address(owner, t)
        cols = {
            "order_id": order_id,
            "customer_id": customer_id,
            "email": email,
            "phone": phone,
            "ordered_at": self.ts(t),
            "channel": take(["web", "app", "store"], channel),
            "store_id": self.blank(cat("S", num(store_no, 3)), store),
            "currency": take(["GBP", "EUR", "USD"], currency),
            "total_amount": fmt_money(total),
            "discount_amount": self.blank(fmt_money(discount), discounted),
            "status": take(["paid", "refunded", "cancelled"], status),
            "loyalty_id": loyalty_id,
            "payment_fingerprint": fingerprint,
            "ship_address_line1": self.blank(addr["one_line"], online),
            "ship_city": self.blank(addr["city"], online),
            "ship_postcode": self.blank(addr["postcode"], online),
            "ship_country": self.blank(addr["country"], online),
        }
        self.finish_records(
            "shop_orders", cols, owner, t, "ordered_at",
            [
                ("customer_id", customer_id, K_PERSONAL, "customer_id"),
                ("email", email_clean, email_kind, "email"),
                ("phone", phone_clean, phone_kind, "phone"),
                ("loyalty_id", loyalty_id, K_PERSONAL, "loyalty_id"),
                ("payment_fingerprint", fingerprint, K_PERSONAL, "payment_fingerprint"),
            ],
            number=("total_amount", BAD_NUMBERS),
            optional=("discount_amount", ["n/a", "ten pounds", "5,00x"]),
        )  # fmt: skip

        negative = chance(rng, n_l, cfg.negative_quantity)
        self.sit["negative_quantity"] += int(negative.sum())
        quantity = np.where(negative, -rng.integers(1, 3, n_l), quantity)
        lines = {
            "order_id": order_id.take(pa.array(line_order)),
            "line_number": num(group_rank(line_order) + 1),
            "product_id": catalogue.product_id.take(pa.array(product)),
            "quantity": num(quantity),
            "unit_price": fmt_money(unit),
        }
        self.finish_plain("order_lines", lines, None)

    def esp(self) -> None:
        p, rng, cfg = self.p, self.rng, self.cfg
        primary = np.flatnonzero(p.has_esp)
        old = primary[p.changed_email[primary]]
        owner = np.r_[primary, old]
        k, n = len(primary), len(owner)
        is_old = np.r_[np.zeros(k, dtype=bool), np.ones(len(old), dtype=bool)]
        change = p.email_changed_at[owner]
        sub_at = rng.integers(START, END - 30 * DAY, n)
        sub_at = np.where(
            is_old, START + (sub_at - START) % np.maximum(change - START, DAY), sub_at
        )
        sub_at = np.where(~is_old & p.changed_email[owner], np.maximum(sub_at, change), sub_at)
        subscribed = rng.random(n) < np.where(is_old, 0.2, 0.85)
        unsub_at = np.minimum(sub_at + rng.integers(10 * DAY, 300 * DAY, n), END)
        unsub_at = np.where(is_old, np.minimum(unsub_at, change), unsub_at)
        work = ~is_old & p.b2b[owner] & (rng.random(n) < 0.3)
        clean = where(is_old, p.old_email.take(pa.array(owner)), self.email_at(owner, sub_at))
        clean = where(work, p.work_email.take(pa.array(owner)), clean)
        esp_id = ids("E", self.next_ids("esp", n), 8)
        cols = {
            "esp_record_id": esp_id,
            "email": self.mess(clean),
            "subscribed": fmt_bool(rng, subscribed, cfg.boolean_formats, self.sit),
            "subscribed_at": self.ts(sub_at),
            "unsubscribed_at": self.blank(self.ts(unsub_at), ~subscribed),
        }
        self.esp_contacts = {
            "owner": owner, "id": esp_id, "email": cols["email"], "sub_at": sub_at,
            "end": np.where(subscribed, END, unsub_at), "subscribed": subscribed,
        }  # fmt: skip
        self.finish_records(
            "esp_contacts", cols, owner, sub_at, "subscribed_at",
            [
                ("esp_record_id", esp_id, K_PERSONAL, "esp_record_id"),
                ("email", clean, K_PERSONAL, "email"),
            ],
            optional=("unsubscribed_at", GARBAGE_DATES),
        )  # fmt: skip

        # events: sends by campaign, then opens, clicks, bounces, unsubscribes
        # distinct campaigns sent while subscribed: stratified picks among those campaigns
        first_c = np.searchsorted(self.cat.campaign_at, sub_at)
        in_window = np.searchsorted(self.cat.campaign_at, self.esp_contacts["end"]) - first_c
        sends = np.minimum(rng.poisson(9.0 * p.activity[owner]), in_window)
        contact = repeat_owner(sends)
        rank = group_rank(contact)
        stride = in_window[contact] / sends[contact]
        low = (rank * stride).astype(np.int64)  # stride >= 1: strata never overlap
        high = ((rank + 1) * stride).astype(np.int64)
        offset = low + (rng.random(len(contact)) * (high - low)).astype(np.int64)
        campaign = first_c[contact] + np.minimum(offset, in_window[contact] - 1)
        send_t = self.cat.campaign_at[campaign] + rng.integers(0, 3 * 3600, len(contact))
        s = len(contact)
        bounce = rng.random(s) < 0.02
        opened = ~bounce & (rng.random(s) < 0.35)
        open_t = send_t + rng.integers(300, 2 * DAY, s)
        clicked = opened & (rng.random(s) < 0.3)
        click_t = open_t + rng.integers(5, 600, s)
        unsub = opened & (rng.random(s) < 0.01)
        parts = [
            (np.arange(s), send_t, 0),
            (np.flatnonzero(opened), open_t[opened], 1),
            (np.flatnonzero(clicked), click_t[clicked], 2),
            (np.flatnonzero(bounce), send_t[bounce] + 60, 3),
            (np.flatnonzero(unsub), open_t[unsub] + 30, 4),
        ]
        row = np.concatenate([part[0] for part in parts])
        at = np.concatenate([part[1] for part in parts])
        etype = np.concatenate([np.full(len(part[0]), part[2]) for part in parts])
        order = np.argsort(at, kind="stable")
        row, at, etype = row[order], at[order], etype[order]
        events = {
            "esp_record_id": esp_id.take(pa.array(contact[row])),
            "event_at": self.ts(at),
            "event_type": take(["send", "open", "click", "bounce", "unsubscribe"], etype),
            "campaign_id": self.cat.campaign_id.take(pa.array(campaign[row])),
        }
        self.finish_plain("esp_events", events, "event_at")
        click = np.flatnonzero(clicked)
        self.esp_clicks = (contact[click], click_t[click], campaign[click])

    def _devices(self, users: np.ndarray, extra_rate: float, shared_rate: float):
        """Personal devices (1 + extras) of users and shared household devices.

        Returns owner per device (-1 for shared), household per device, first device per
        person (-1 none), devices per person, shared device per person (-1 none)."""
        p, rng, n = self.p, self.rng, self.p.n
        extra = chance(rng, len(users), extra_rate, False)
        count = 1 + extra * rng.integers(1, 3, len(users))
        per_person = np.zeros(n, dtype=np.int64)
        per_person[users] = count
        owner = np.repeat(users, count)
        first = np.full(n, -1, dtype=np.int64)
        first[users] = np.r_[0, np.cumsum(count)[:-1]]
        # shared: households with at least two users
        uses = np.zeros(n, dtype=bool)
        uses[users] = True
        users_in_hh = np.bincount(p.hh, weights=uses, minlength=n)
        heads = np.flatnonzero((p.hh_first == np.arange(n)) & (users_in_hh[p.hh] >= 2))
        heads = heads[chance(rng, len(heads), shared_rate, False)]
        shared_of_hh = np.full(n, -1, dtype=np.int64)
        shared_of_hh[heads] = len(owner) + np.arange(len(heads))
        shared = np.where(uses, shared_of_hh[p.hh_first], -1)
        owner = np.r_[owner, np.full(len(heads), -1)]
        household = np.r_[p.hh_first[owner[: len(owner) - len(heads)]], heads]
        return owner, household, first, per_person, shared, extra

    def _activity(self, users, per_person_mean, first, per_person, shared, windows):
        """Events: actor, device and time; 30% of a sharing person's events on the shared one."""
        p, rng = self.p, self.rng
        counts = rng.poisson(per_person_mean * p.activity[users])
        sharing = users[shared[users] >= 0]  # each of them uses the shared device at least once
        actor = np.r_[np.repeat(users, counts), sharing]
        e = len(actor)
        on_shared = (shared[actor] >= 0) & (rng.random(e) < 0.3)
        on_shared[e - len(sharing) :] = True
        personal = first[actor] + (rng.random(e) * per_person[actor]).astype(np.int64)
        device = np.where(on_shared, shared[actor], personal)
        start, length = windows
        t = start[device] + (rng.random(e) * length[device]).astype(np.int64)
        return actor, device, np.minimum(t, END), on_shared

    def _login_times(self, owner, start, length, rate, from_start_share):
        """Per device: the login time (users logged in from then on) or a time after END."""
        p, rng, d = self.p, self.rng, len(owner)
        account = (owner >= 0) & p.has_account[np.maximum(owner, 0)]
        anon_first = account & chance(rng, d, rate, False)
        from_start = account & ~anon_first & (rng.random(d) < from_start_share)
        login = np.full(d, END + DAY, dtype=np.int64)
        login[from_start] = start[from_start]
        mid = start + (length * rng.uniform(0.15, 0.7, d)).astype(np.int64)
        login[anon_first] = mid[anon_first]
        return login, anon_first

    def _windows(self, d: int) -> tuple[np.ndarray, np.ndarray]:
        start = self.rng.integers(START, END - 30 * DAY, d)
        length = np.minimum(self.rng.exponential(150 * DAY, d).astype(np.int64) + DAY, END - start)
        return start, length

    def _shared_logins(self, actor, on_shared, shared, start, length):
        """One login per account holder using a shared device, only on that event."""
        p, rng = self.p, self.rng
        users = np.unique(actor[on_shared])
        users = users[p.has_account[users] & (rng.random(len(users)) < 0.6)]
        device = shared[users]
        t = start[device] + (rng.random(len(users)) * length[device]).astype(np.int64)
        return users, device, t

    def _user_id(self, owner, actor, device, t, etype, login_t, login_code) -> pa.Array:
        p = self.p
        personal = owner[device] >= 0
        logged = np.where(personal, t >= login_t[device], etype == login_code)
        logged &= p.has_account[actor]
        return self.blank(p.customer_id.take(pa.array(actor)), logged)

    def web_events(self) -> None:
        p, rng, cfg = self.p, self.rng, self.cfg
        users = np.flatnonzero(p.has_web)
        self.multi = np.zeros(p.n, dtype=bool)
        if len(users) == 0:
            self.web_cookies = None
            return
        owner, household, first, per_person, shared, extra = self._devices(
            users, cfg.multi_device, cfg.shared_family_device
        )
        self.multi[users[extra]] = True
        d = len(owner)
        self.sit["shared_family_device"] += int((owner < 0).sum())
        start, length = self._windows(d)
        device_type = np.where(owner < 0, 2, rng.choice(3, p=[0.5, 0.42, 0.08], size=d))
        cookie = uuid_text(rng, d)
        random_ip = cat(
            num(rng.integers(2, 224, d)), ".", num(rng.integers(0, 256, d)), ".",
            num(rng.integers(0, 256, d)), ".", num(rng.integers(1, 255, d)),
        )  # fmt: skip
        ip = where(device_type == 1, random_ip, p.ip.take(pa.array(household)))
        agents = [USER_AGENTS[kind] for kind in DEVICE_TYPES]
        agent_flat = [a for group in agents for a in group]
        agent_offset = np.r_[0, np.cumsum([len(group) for group in agents])[:-1]]
        agent_count = np.array([len(group) for group in agents])
        agent = agent_offset[device_type] + (rng.random(d) * agent_count[device_type]).astype(int)
        self.web_cookies = {"owner": owner, "id": cookie, "start": start}

        actor, device, t, on_shared = self._activity(
            users, 15.0 / 0.9, first, per_person, shared, (start, length)
        )
        etype = rng.choice(4, p=[0.55, 0.29, 0.11, 0.05], size=len(actor))
        login_t, anon_first = self._login_times(owner, start, length, cfg.anonymous_then_login, 0.5)
        self.sit["anonymous_then_login"] += int(anon_first.sum())
        logged = np.flatnonzero(login_t <= END)
        s_users, s_device, s_t = self._shared_logins(actor, on_shared, shared, start, length)
        personal = np.flatnonzero(owner >= 0)
        forms = personal[chance(rng, len(personal), cfg.form_submit)]
        self.sit["form_submit"] += len(forms)
        form_t = start[forms] + (rng.random(len(forms)) * length[forms]).astype(np.int64)

        # click-throughs from the ESP: the recipient's cookie, or a forwarded email's clicker
        contact, click_t, campaign = self.esp_clicks
        recipient = self.esp_contacts["owner"][contact]
        eligible = np.flatnonzero(p.has_web[recipient])
        through = eligible[chance(rng, len(eligible), cfg.email_clickthrough)]
        clicker = recipient[through].copy()
        forwarded = chance(rng, len(through), cfg.forwarded_click) if len(users) > 1 else (
            np.zeros(len(through), dtype=bool))  # fmt: skip
        pos = rng.integers(0, len(users), int(forwarded.sum()))
        other = users[pos]
        other = np.where(other == clicker[forwarded], users[(pos + 1) % len(users)], other)
        clicker[forwarded] = other
        self.sit["email_clickthrough"] += len(through)
        self.sit["forwarded_click"] += int(forwarded.sum())
        click_device = first[clicker] + (rng.random(len(through)) * per_person[clicker]).astype(int)

        actor = np.r_[actor, owner[logged], s_users, owner[forms], clicker]
        device = np.r_[device, logged, s_device, forms, click_device]
        t = np.r_[
            t, login_t[logged], s_t, form_t, click_t[through] + rng.integers(1, 30, len(through))
        ]
        etype = np.r_[
            etype, np.full(len(logged) + len(s_users), 5), np.full(len(forms), 4),
            np.full(len(through), 6),
        ]  # fmt: skip
        click_row = np.r_[np.full(len(actor) - len(through), -1), through]
        order = np.argsort(t, kind="stable")
        actor, device, t, etype, click_row = (
            actor[order],
            device[order],
            t[order],
            etype[order],
            click_row[order],
        )
        e = len(actor)
        is_click = click_row >= 0
        esp_id = replace(
            empty(e), is_click,
            lambda ix: self.esp_contacts["id"].take(pa.array(contact[click_row[ix]])),
        )  # fmt: skip
        campaign_id = replace(
            empty(e), is_click,
            lambda ix: self.cat.campaign_id.take(pa.array(campaign[click_row[ix]])),
        )  # fmt: skip
        is_form = etype == 4
        form_rows = np.flatnonzero(is_form)
        written, clean, kind = self.contact_email(actor[form_rows], t[form_rows], 1.0)
        email = replace(empty(e), is_form, lambda ix: written)
        email_clean = replace(empty(e), is_form, lambda ix: clean)
        email_kind = np.zeros(e, dtype=np.int64)
        email_kind[form_rows] = kind
        has_product = (etype == 1) | (etype == 2)
        product = self.cat.products(e, rng)
        product_id = self.blank(self.cat.product_id.take(pa.array(product)), has_product)
        base = "https://shop.example"
        page = take(["/", "/c/running", "/c/home", "/sale", "/stores", "/c/outdoor"],
                    rng.integers(0, 6, e))  # fmt: skip
        url = cat(base, page)
        url = replace(url, has_product, lambda ix: cat(
            base, "/p/", self.cat.product_id.take(pa.array(product[ix]))))  # fmt: skip
        for code, path in ((3, "/checkout"), (4, "/newsletter"), (5, "/account/login")):
            url = replace(url, etype == code, lambda ix, path=path: const(base + path, len(ix)))
        url = replace(url, is_click, lambda ix: cat(
            base, "/?utm_source=esp&utm_medium=email&utm_campaign=", campaign_id.take(pa.array(ix))
        ))  # fmt: skip
        user_id = self._user_id(owner, actor, device, t, etype, login_t, 5)
        anonymous_id = cookie.take(pa.array(device))
        event_id = ids("W", self.next_ids("web", e), 10)
        dev = pa.array(device)
        cols = {
            "event_id": event_id,
            "event_at": self.ts(t),
            "anonymous_id": anonymous_id,
            "user_id": user_id,
            "email": email,
            "esp_record_id": esp_id,
            "event_type": take(WEB_TYPES, etype),
            "page_url": url,
            "product_id": product_id,
            "device_type": take(DEVICE_TYPES, device_type).take(dev),
            "ip_address": ip.take(dev),
            "user_agent": take(agent_flat, agent).take(dev),
        }
        device_kind = np.where(owner[device] < 0, K_SHARED, K_PERSONAL)
        self.finish_records(
            "web_events", cols, actor, t, "event_at",
            [
                ("anonymous_id", anonymous_id, device_kind, "anonymous_id"),
                ("customer_id", user_id, K_PERSONAL, "user_id"),
                ("email", email_clean, email_kind, "email"),
            ],
            optional=("email", ["not-an-email", "asdf", "n/a@", "@@"]),
        )  # fmt: skip

    def app_events(self) -> None:
        p, rng, cfg = self.p, self.rng, self.cfg
        users = np.flatnonzero(p.has_app)
        if len(users) == 0:
            self.app_devices = None
            return
        owner, household, first, per_person, shared, extra = self._devices(
            users, cfg.multi_device, cfg.shared_family_device
        )
        self.multi[users[extra]] = True
        d = len(owner)
        self.sit["shared_family_device"] += int((owner < 0).sum())
        start, length = self._windows(d)
        device_id = uuid_text(rng, d, upper=True)
        platform = np.where(owner < 0, 0, (rng.random(d) < 0.45).astype(np.int64))
        self.app_devices = {"owner": owner, "id": device_id, "start": start}
        actor, device, t, on_shared = self._activity(
            users, 8.0 / 0.45, first, per_person, shared, (start, length)
        )
        etype = rng.choice(5, p=[0.38, 0.3, 0.1, 0.04, 0.18], size=len(actor))
        login_t, anon_first = self._login_times(owner, start, length, cfg.anonymous_then_login, 0.7)
        self.sit["anonymous_then_login"] += int(anon_first.sum())
        logged = np.flatnonzero(login_t <= END)
        s_users, s_device, s_t = self._shared_logins(actor, on_shared, shared, start, length)
        actor = np.r_[actor, owner[logged], s_users]
        device = np.r_[device, logged, s_device]
        t = np.r_[t, login_t[logged], s_t]
        etype = np.r_[etype, np.full(len(logged) + len(s_users), 5)]
        order = np.argsort(t, kind="stable")
        actor, device, t, etype = actor[order], device[order], t[order], etype[order]
        e = len(actor)
        has_product = (etype == 1) | (etype == 2)
        product_id = self.blank(
            self.cat.product_id.take(pa.array(self.cat.products(e, rng))), has_product
        )
        version = ((t - START) / (END - START) * len(APP_VERSIONS)).astype(np.int64)
        version = np.clip(version - rng.integers(0, 2, e), 0, len(APP_VERSIONS) - 1)
        user_id = self._user_id(owner, actor, device, t, etype, login_t, 5)
        device_col = device_id.take(pa.array(device))
        cols = {
            "event_id": ids("A", self.next_ids("app", e), 10),
            "event_at": self.ts(t),
            "device_id": device_col,
            "user_id": user_id,
            "event_type": take(APP_TYPES, etype),
            "product_id": product_id,
            "platform": take(["ios", "android"], platform[device]),
            "app_version": take(APP_VERSIONS, version),
        }
        device_kind = np.where(owner[device] < 0, K_SHARED, K_PERSONAL)
        self.finish_records(
            "app_events", cols, actor, t, "event_at",
            [
                ("device_id", device_col, device_kind, "device_id"),
                ("customer_id", user_id, K_PERSONAL, "user_id"),
            ],
        )  # fmt: skip

    def crm_contacts(self) -> None:
        p, rng, cfg = self.p, self.rng, self.cfg
        base = np.flatnonzero(p.has_crm)
        second = base[rng.random(len(base)) < 0.08]  # the same person keyed twice in the CRM
        owner = np.r_[base, second]
        k = len(owner)
        t = rng.integers(START, END - 30 * DAY, k)
        version = chance(rng, k, cfg.new_versions) if cfg.new_versions > 0 else np.zeros(k, bool)
        later = np.minimum(t[version] + rng.integers(DAY, 300 * DAY, int(version.sum())), END)
        contact_no = self.next_ids("crm", k)
        owner = np.r_[owner, owner[version]]
        t = np.r_[t, later]
        contact_no = np.r_[contact_no, contact_no[version]]
        is_version = np.r_[np.zeros(k, dtype=bool), np.ones(len(later), dtype=bool)]
        self.sit["new_versions"] += len(later)
        b2b = p.b2b[owner]
        # which fields a contact has: the same in a later version of it
        has = rng.random((4, k)) < np.array([[0.85], [0.6], [0.6], [0.8]])
        has = np.concatenate([has, has[:, version]], axis=1)
        email, email_clean, email_kind = self.contact_email(owner, t, 1.0, work=b2b)
        on = b2b | has[0]
        email, email_clean = self.blank(email, on), self.blank(email_clean, on)
        personal, personal_clean, personal_kind = self.contact_email(owner, t, 1.0, junk=False)
        personal = self.blank(personal, b2b & has[1])
        personal_clean = self.blank(personal_clean, b2b & has[1])
        phone, phone_clean, phone_kind = self.contact_phone(owner, 1.0)
        phone, phone_clean = self.blank(phone, has[2]), self.blank(phone_clean, has[2])
        addr = self.address(owner, t)
        dob = self.blank(fmt_date(rng, p.dob[owner], cfg.date_formats, self.sit), has[3])
        contact_id = ids("K", contact_no, 7)
        cols = {
            "contact_id": contact_id,
            "first_name": self.first_name(owner, junk=True),
            "last_name": self.last_name(owner, junk=True),
            "date_of_birth": dob,
            "email": email,
            "personal_email": personal,
            "phone": phone,
            "address_line1": addr["line1"],
            "address_line2": addr["line2"],
            "city": addr["city"],
            "postcode": addr["postcode"],
            "region": addr["region"],
            "country": addr["country"],
            "company": self.blank(self.mess(take(COMPANIES, p.company_idx[owner])), b2b),
            "job_title": self.blank(take(JOB_TITLES, p.job_idx[owner]), b2b),
            "updated_at": self.ts(t),
        }
        self.finish_records(
            "crm_contacts", cols, owner, t, "updated_at",
            [
                ("crm_contact_id", contact_id, K_PERSONAL, "contact_id"),
                ("email", email_clean, email_kind, "email"),
                ("email", personal_clean, personal_kind, "personal_email"),
                ("phone", phone_clean, phone_kind, "phone"),
            ],
            version=is_version,
            optional=("date_of_birth", GARBAGE_DATES),
        )  # fmt: skip

    def support_tickets(self) -> None:
        p, rng = self.p, self.rng
        counts = np.where(rng.random(p.n) < 0.25, rng.integers(1, 4, p.n), 0)
        owner = repeat_owner(counts)
        n = len(owner)
        t = rng.integers(START, END, n)
        channel = rng.choice(3, p=[0.35, 0.4, 0.25], size=n)  # phone, email, chat
        email, email_clean, email_kind = self.contact_email(
            owner, t, 1.0, work=p.b2b[owner] & (rng.random(n) < 0.5)
        )
        on = rng.random(n) < np.where(channel > 0, 0.9, 0.1)
        email, email_clean = self.blank(email, on), self.blank(email_clean, on)
        phone, phone_clean, phone_kind = self.contact_phone(owner, 1.0)
        on = rng.random(n) < np.where(channel == 0, 0.85, 0.1)
        phone, phone_clean = self.blank(phone, on), self.blank(phone_clean, on)
        first = self.first_name(owner)
        last = self.last_name(owner)
        initial = cat(pc.utf8_slice_codeunits(NAMES["first"].take(pa.array(p.first_idx[owner])),
                                              0, 1), ".")  # fmt: skip
        title = where(p.female[owner], const("Ms", n), const("Mr", n))
        style = rng.choice(5, p=[0.45, 0.25, 0.1, 0.15, 0.05], size=n)
        name = pick(
            [cat(first, " ", last), cat(initial, " ", last), cat(title, " ", last), first,
             pc.utf8_lower(cat(first, " ", last))],
            style,
        )  # fmt: skip
        name = self.junk_name(name)
        satisfaction = self.blank(num(rng.choice(5, p=[0.08, 0.1, 0.17, 0.3, 0.35], size=n) + 1),
                                  rng.random(n) < 0.7)  # fmt: skip
        ticket_id = ids("T", self.next_ids("ticket", n), 8)
        cols = {
            "ticket_id": ticket_id,
            "created_at": self.ts(t),
            "channel": take(["phone", "email", "chat"], channel),
            "email": email,
            "phone": phone,
            "customer_name": name,
            "topic": take(SUPPORT_TOPICS, rng.integers(0, len(SUPPORT_TOPICS), n)),
            "satisfaction_score": satisfaction,
        }
        self.finish_records(
            "support_tickets", cols, owner, t, "created_at",
            [
                ("email", email_clean, email_kind, "email"),
                ("phone", phone_clean, phone_kind, "phone"),
            ],
            optional=("satisfaction_score", ["excellent", "5 stars", "11", "-3"]),
        )  # fmt: skip

    def loyalty_members(self) -> None:
        p, rng, cfg = self.p, self.rng, self.cfg
        owner = np.flatnonzero(p.has_loyalty)
        n = len(owner)
        t = rng.integers(START, END - 10 * DAY, n)
        email, email_clean, email_kind = self.contact_email(owner, t, 0.85)
        phone, phone_clean, phone_kind = self.contact_phone(owner, 0.6)
        points = (rng.lognormal(6.0, 1.2, n)).astype(np.int64)
        tier = np.searchsorted([500, 2000, 8000], points, side="right")
        addr = self.address(owner, t)
        loyalty_id = p.loyalty_id.take(pa.array(owner))
        dob = self.blank(
            fmt_date(rng, p.dob[owner], cfg.date_formats, self.sit), rng.random(n) < 0.7
        )
        cols = {
            "loyalty_id": loyalty_id,
            "email": email,
            "phone": phone,
            "first_name": self.first_name(owner, junk=True),
            "last_name": self.last_name(owner, junk=True),
            "date_of_birth": dob,
            "postcode": addr["postcode"],
            "tier": take(["bronze", "silver", "gold", "platinum"], tier),
            "points_balance": num(points),
            "joined_at": self.ts(t),
        }
        self.finish_records(
            "loyalty_members", cols, owner, t, "joined_at",
            [
                ("loyalty_id", loyalty_id, K_PERSONAL, "loyalty_id"),
                ("email", email_clean, email_kind, "email"),
                ("phone", phone_clean, phone_kind, "phone"),
            ],
            optional=("date_of_birth", GARBAGE_DATES),
        )  # fmt: skip

    def enrichment_profiles(self) -> None:
        p, rng = self.p, self.rng
        owner = np.flatnonzero(rng.random(p.n) < 0.4)
        n = len(owner)
        t = rng.integers(START, END, n)
        work = p.b2b[owner] & (rng.random(n) < 0.3)
        email = self.email_at(owner, t, work)
        # four different interests: start anywhere, step by an odd number (16 interests)
        first_i, step = rng.integers(0, len(INTERESTS), n), rng.choice([1, 3, 5, 7], n)
        picks = [take(INTERESTS, (first_i + j * step) % len(INTERESTS)) for j in range(4)]
        interests = pick(
            [picks[0], cat(picks[0], ";", picks[1]), cat(picks[0], ";", picks[1], ";", picks[2]),
             cat(picks[0], ";", picks[1], ";", picks[2], ";", picks[3])],
            rng.integers(0, 4, n),
        )  # fmt: skip
        age = (np.datetime64("2025-06-30", "D").astype(np.int64) - p.dob[owner]) // 365
        band = np.searchsorted([25, 35, 45, 55, 65], age, side="right")
        fm = NAMES["first_mail"].take(pa.array(p.first_idx[owner]))
        lm = pc.utf8_slice_codeunits(NAMES["last_mail"].take(pa.array(p.last_idx[owner])), 0, 4)
        score = rng.integers(0, 1000, n)
        cols = {
            "email": self.mess(email),
            "social_handle": self.blank(
                cat("@", fm, lm, num(rng.integers(1, 999, n))), rng.random(n) < 0.6
            ),  # fmt: skip
            "interests": interests,
            "age_band": take(["18-24", "25-34", "35-44", "45-54", "55-64", "65+"], band),
            "influence_score": cat(num(score // 10), ".", num(score % 10)),
            "fetched_at": self.ts(t),
        }
        self.finish_plain("enrichment_profiles", cols, "fetched_at")

    def consent_events(self) -> None:
        p, rng = self.p, self.rng
        parts: list[tuple] = []  # (subject_type, values, purpose, status, time, source)

        def add(stype, values, purpose, granted, t, source):
            k = len(t)
            if k:
                parts.append((stype, values, purpose, np.asarray(granted, bool), t, source, k))

        esp = self.esp_contacts
        add("email", esp["email"], "email_marketing", np.ones(len(esp["owner"]), bool),
            esp["sub_at"], "esp_signup")  # fmt: skip
        gone = np.flatnonzero(~esp["subscribed"])
        add("email", esp["email"].take(pa.array(gone)), "email_marketing", np.zeros(len(gone)),
            esp["end"][gone], "preference_centre")  # fmt: skip
        acc, created = self.customer_created
        for purpose, share in (("personalization", 0.6), ("analytics", 0.5)):
            sel = rng.random(len(acc)) < share
            add("customer_id", p.customer_id.take(pa.array(acc[sel])), purpose, np.ones(sel.sum()),
                created[sel], "checkout")  # fmt: skip
            off = sel & (rng.random(len(acc)) < 0.1)
            add("customer_id", p.customer_id.take(pa.array(acc[off])), purpose,
                np.zeros(off.sum()), np.minimum(created[off] + 90 * DAY, END),
                "preference_centre")  # fmt: skip
        for devices, stype, source in ((getattr(self, "web_cookies", None), "anonymous_id",
                                        "cookie_banner"),
                                       (getattr(self, "app_devices", None), "device_id",
                                        "app_settings")):  # fmt: skip
            if devices is None:
                continue
            d = len(devices["owner"])
            for purpose, share in (("analytics", 0.7), ("advertising", 0.45)):
                sel = np.flatnonzero(rng.random(d) < share)
                add(stype, devices["id"].take(pa.array(sel)), purpose, np.ones(len(sel)),
                    devices["start"][sel], source)  # fmt: skip
                off = sel[rng.random(len(sel)) < 0.1]
                add(stype, devices["id"].take(pa.array(off)), purpose, np.zeros(len(off)),
                    np.minimum(devices["start"][off] + 30 * DAY, END), source)  # fmt: skip
        sms = np.flatnonzero(rng.random(p.n) < 0.15)
        written, _, _ = self.contact_phone(sms, 1.0, junk=False)
        add("phone", written, "sms_marketing", rng.random(len(sms)) < 0.85,
            rng.integers(START, END, len(sms)), "checkout")  # fmt: skip
        if not parts:
            return
        t = np.concatenate([part[4] for part in parts])
        order = pa.array(np.argsort(t, kind="stable"))
        cols = {
            "subject_type": pa.concat_arrays([const(part[0], part[6]) for part in parts]),
            "subject_value": pa.concat_arrays([part[1].cast(STR) for part in parts]),
            "purpose": pa.concat_arrays([const(part[2], part[6]) for part in parts]),
            "status": take(["withdrawn", "granted"],
                           np.concatenate([part[3] for part in parts]).astype(np.int64)),
            "recorded_at": self.ts(t),
            "source": pa.concat_arrays([const(part[5], part[6]) for part in parts]),
        }  # fmt: skip
        cols = {c: a.take(order) if c != "recorded_at" else a.take(order) for c, a in cols.items()}
        self.finish_plain("consent_events", cols, "recorded_at")

    def privacy_requests(self) -> None:
        p, rng = self.p, self.rng
        erasure = chance(rng, p.n, 0.005)
        access = ~erasure & (rng.random(p.n) < 0.003)
        owner = np.flatnonzero(erasure | access)
        n = len(owner)
        t = rng.integers(START + 180 * DAY, END, n)
        stype = rng.choice(3, p=[0.6, 0.25, 0.15], size=n)
        stype = np.where((stype == 1) & ~p.has_account[owner], 0, stype)
        email = self.email_at(owner, t)
        phone, _, _ = self.contact_phone(owner, 1.0, junk=False)
        value = pick([self.mess(email), p.customer_id.take(pa.array(owner)), phone], stype)
        cols = {
            "request_id": ids("R", self.next_ids("privacy", n), 7),
            "subject_type": take(["email", "customer_id", "phone"], stype),
            "subject_value": value,
            "request_type": take(["access", "erasure"], erasure[owner].astype(np.int64)),
            "requested_at": self.ts(t),
        }
        self.finish_plain("privacy_requests", cols, None)


# --------------------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------------------


def _people_truth(p: People) -> dict[str, pa.Array]:
    return {
        "person_id": p.person_id,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "date_of_birth": take(_lut("day_iso"), p.dob - LUT_EPOCH_DAY),
        "primary_email": p.email,
        "work_email": where(p.b2b, p.work_email, empty(p.n)),
        "phone_e164": p.phone_e164,
        "postcode": p.postcode,
        "city": take([row[1] for row in CITY_ROWS], p.city_idx),
        "country": take(COUNTRIES, p.country),
        "is_b2b": take(["false", "true"], p.b2b.astype(np.int64)),
        "household_id": p.household_id,
    }


def _malformed_lines(rng: np.random.Generator, table: str, count: int) -> list[str]:
    """Lines with one field too many or too few (alternating), quoted like the rest."""
    columns = TABLES[table]
    lines = []
    for i in range(count):
        width = len(columns) + 1 if i % 2 == 0 else max(1, len(columns) - 2)
        values = [f"malformed-{table}-{i + 1}"] + [
            f"x{rng.integers(0, 10_000)}" for _ in range(width - 1)
        ]
        lines.append(",".join(f'"{v}"' for v in values) + "\n")
    return lines


def generate(
    config: GeneratorConfig, out_dir: Path, file_format: str = "csv", write_truth: bool = True
) -> Summary:
    """Write raw tables and ground truth for ``config.people`` people under ``out_dir``.

    write_truth=False writes the raw tables and ``truth/summary.json`` only (a benchmark
    that never evaluates has no use for the truth files, which take more space than the raw
    files), removes truth files an earlier run left there, and records no truth counts."""
    import time

    if file_format not in ("csv", "parquet"):
        raise ValueError(f"file_format must be 'csv' or 'parquet', not {file_format!r}")
    started = time.perf_counter()
    out_dir = Path(out_dir)
    raw_dir, truth_dir = out_dir / "raw", out_dir / "truth"
    raw_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    for stale in [*raw_dir.glob("*.csv"), *raw_dir.glob("*.parquet")]:
        if stale.stem in TABLES:
            stale.unlink()

    root = np.random.SeedSequence(config.seed)
    catalogue = Catalogue(np.random.Generator(np.random.PCG64(root.spawn(1)[0])))
    writers = {t: _Writer(raw_dir / f"{t}.{file_format}", cols, file_format)
               for t, cols in TABLES.items()}  # fmt: skip
    truth_files = {
        "records": (truth_dir / "records.csv", TRUTH_RECORDS),
        "identifiers": (truth_dir / "identifiers.csv", TRUTH_IDENTIFIERS),
        "people": (truth_dir / "people.csv", TRUTH_PEOPLE),
    }
    truth: dict[str, _Writer] = {}
    for name, (path, columns) in truth_files.items():
        if write_truth:
            truth[name] = _Writer(path, columns, "csv")
        else:
            path.unlink(missing_ok=True)
    situations = dict.fromkeys(SITUATIONS, 0)
    dups = dict.fromkeys(TABLES, 0)
    counters: dict[str, int] = {}
    try:
        writers["products"].write(catalogue.table())
        n_chunks = -(-config.people // config.chunk_people)
        for index in range(n_chunks):
            first = index * config.chunk_people + 1
            n = min(config.chunk_people, config.people - first + 1)
            rng = np.random.Generator(np.random.PCG64([config.seed, 1, index]))
            people = People(rng, first, n, config)
            chunk = Chunk(config, catalogue, rng, people, counters, situations)
            chunk.build()
            for table, parts in chunk.out.items():
                for cols in parts:
                    writers[table].write(cols)
                dups[table] += chunk.dups[table]
            if write_truth:
                for cols in chunk.records:
                    truth["records"].write(cols)
                identifiers = chunk.identifiers()
                truth["identifiers"].write(
                    {c: identifiers[c].combine_chunks() for c in TRUTH_IDENTIFIERS}
                )
                truth["people"].write(_people_truth(people))
    finally:
        for writer in [*writers.values(), *truth.values()]:
            writer.close()

    malformed = dict.fromkeys(TABLES, 0)
    if file_format == "csv" and config.wrong_field_count > 0:
        rng = np.random.Generator(np.random.PCG64([config.seed, 2]))
        for table, writer in writers.items():
            count = max(2, int(round(writer.rows * config.wrong_field_count)))
            lines = _malformed_lines(rng, table, count)
            with open(writer.path, "a", encoding="utf-8", newline="") as handle:
                handle.writelines(lines)
            malformed[table] = count
    situations["wrong_field_count"] = sum(malformed.values())
    tables = {
        t: {
            "rows": writers[t].rows + malformed[t],
            "malformed_lines": malformed[t],
            "exact_duplicates": dups[t],
        }
        for t in TABLES
    }
    summary = Summary(
        people=config.people,
        seed=config.seed,
        file_format=file_format,
        rates=config.rates(),
        situations=situations,
        tables=tables,
        truth={name: writer.rows for name, writer in truth.items()},
        out_dir=out_dir,
    )
    (truth_dir / "summary.json").write_text(
        json.dumps(summary.to_json(), indent=2) + "\n", encoding="utf-8"
    )
    summary.seconds = time.perf_counter() - started
    return summary
