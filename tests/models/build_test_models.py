"""Build the small but real Argos Translate packages the test suite drafts with.

No real Argos model can be downloaded on the project's machines, so the tests
translate with toy models trained here: for each pair a 2-layer, d=64
Transformer learns a few thousand sentence pairs generated from a small
lexicon of the alliance's vocabulary (migrants, workers, rights, solidarity,
IMA ...). They know nothing else, but inside that lexicon they translate
unseen sentences exactly, which lets tests assert real translations.

Regenerate (about a minute per model on 2 cores; torch is needed only here,
never by the tests or CI)::

    python3 -m venv /work/torchvenv
    /work/torchvenv/bin/pip install torch==2.13.0 ctranslate2 sentencepiece numpy
    /work/torchvenv/bin/python tests/models/build_test_models.py            # all pairs
    /work/torchvenv/bin/python tests/models/build_test_models.py en-es      # one pair

Outputs, next to this file:

* ``translate-<from>_<to>-1_0.argosmodel``: an Argos package (zip with one top
  directory holding ``metadata.json``, a CTranslate2 ``model/`` quantized to
  int8, and ``sentencepiece.model``);
* ``toy_sentences.json``: per pair, the held-out sentences (never seen in
  training) with their reference translations and whether the int8 model,
  decoded with the engine's settings, reproduces each exactly.

These models store no table of position encodings (CTranslate2 computes them
for any length), so no sentence reaches a limit on them; after rebuilding
en-es, run ``build_short_model.py`` to derive again the en-es package with a
40-position table that the tests of over-long sentences use.

Everything is seeded: the same script and library versions rebuild the same
packages.
"""

from __future__ import annotations

import io
import json
import math
import random
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
import numpy as np
import sentencepiece as spm
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
SEED = 20240518
PAIRS: tuple[tuple[str, str], ...] = (("en", "es"), ("en", "fr"), ("en", "id"), ("en", "tl"), ("tl", "en"))
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "id": "Indonesian", "tl": "Tagalog"}
PACKAGE_VERSION = "1.0"

TRAIN_PAIRS = 4000
HELD_OUT_PAIRS = 200
VOCAB_SIZE = 600
D_MODEL = 64
HEADS = 4
FFN = 256
LAYERS = 2
STEPS = 1500
BATCH = 64
LAYER_NORM_EPSILON = 1e-6

DECODING = {"beam_size": 2, "repetition_penalty": 1.02, "no_repeat_ngram_size": 6}
"""Keep in sync with workbench.mt.DECODING: held-out sentences are verified with the engine's settings."""


# -- the toy language ----------------------------------------------------------------
#
# Every concept has one rendering per language, so each generated English
# sentence has exactly one correct translation and back. Forms are written out
# per language (articles, agreement, contractions, Tagalog linkers) rather than
# derived, which keeps the grammar honest and readable.


@dataclass(frozen=True)
class Noun:
    """A plural group of people: subject, object, or possessor in a slogan."""

    en: str
    es: str  # with article: "los migrantes"
    fr: str  # with article: "les migrants"
    id: str  # "para migran"
    tl: str  # without the case marker: "mga migrante"
    es_feminine: bool = False
    fr_feminine: bool = False
    takes_adjective: bool = True


@dataclass(frozen=True)
class Adjective:
    en: str
    es_m: str
    es_f: str
    fr_m: str
    fr_f: str
    id: str  # after the noun
    tl: str  # before the noun, with its linker ("Pilipinong")


@dataclass(frozen=True)
class Organization:
    """A singular subject or object (the verb agrees in the singular)."""

    en: str
    es: str  # "la IMA"
    es_object: str  # "a la IMA", "al sindicato"
    fr: str
    id: str
    tl: str  # without the case marker


@dataclass(frozen=True)
class Verb:
    en_plural: str
    en_singular: str
    es_plural: str
    es_singular: str
    fr_plural: str
    fr_singular: str
    id: str
    tl: str
    tl_marker: str  # "sa" or "ng" before the object
    objects: tuple[str, ...]  # which object classes it takes


@dataclass(frozen=True)
class Thing:
    """A non-human object: a claim, an evil to fight, something to build."""

    en: str
    es: str
    fr: str
    id: str
    tl: str  # without the case marker
    es_stop: str = ""  # after "¡Alto ": "a la explotación", "al racismo"
    fr_stop: str = ""  # after "Halte ": "à l'exploitation", "au racisme"


NOUNS = (
    Noun("migrants", "los migrantes", "les migrants", "para migran", "mga migrante"),
    Noun("workers", "los trabajadores", "les travailleurs", "para pekerja", "mga manggagawa"),
    Noun("migrant workers", "los trabajadores migrantes", "les travailleurs migrants", "para pekerja migran", "mga manggagawang migrante"),
    Noun("refugees", "los refugiados", "les réfugiés", "para pengungsi", "mga refugee", takes_adjective=False),
    Noun("women", "las mujeres", "les femmes", "kaum perempuan", "mga kababaihan", es_feminine=True, fr_feminine=True),
    Noun("families", "las familias", "les familles", "keluarga-keluarga", "mga pamilya", es_feminine=True, fr_feminine=True),
    Noun("young people", "los jóvenes", "les jeunes", "kaum muda", "mga kabataan", takes_adjective=False),
    Noun("domestic workers", "las trabajadoras del hogar", "les travailleuses domestiques", "para pekerja rumah tangga", "mga kasambahay", es_feminine=True, fr_feminine=True),
    Noun("farmers", "los campesinos", "les paysans", "para petani", "mga magsasaka"),
    Noun("governments", "los gobiernos", "les gouvernements", "pemerintah", "mga pamahalaan", takes_adjective=False),
    Noun("employers", "los empleadores", "les employeurs", "para majikan", "mga amo", takes_adjective=False),
)
PEOPLE = tuple(noun for noun in NOUNS if noun.en not in ("governments", "employers"))

ADJECTIVES = (
    Adjective("Filipino", "filipinos", "filipinas", "philippins", "philippines", "Filipina", "Pilipinong"),
    Adjective("Indonesian", "indonesios", "indonesias", "indonésiens", "indonésiennes", "Indonesia", "Indonesyanong"),
    Adjective("undocumented", "indocumentados", "indocumentadas", "sans papiers", "sans papiers", "tidak berdokumen", "di-dokumentadong"),
)

ORGANIZATIONS = (
    Organization("IMA", "la IMA", "a la IMA", "l'IMA", "IMA", "IMA"),
    Organization("the alliance", "la alianza", "a la alianza", "l'alliance", "aliansi", "alyansa"),
    Organization("the International Migrants Alliance", "la Alianza Internacional de Migrantes", "a la Alianza Internacional de Migrantes",
                 "l'Alliance internationale des migrants", "Aliansi Migran Internasional", "International Migrants Alliance"),
    Organization("the union", "el sindicato", "al sindicato", "le syndicat", "serikat buruh", "unyon"),
)

CLAIMS = (
    Thing("justice", "justicia", "la justice", "keadilan", "katarungan"),
    Thing("fair wages", "salarios justos", "des salaires justes", "upah yang adil", "makatarungang sahod"),
    Thing("decent jobs", "empleos dignos", "des emplois décents", "pekerjaan yang layak", "disenteng trabaho"),
    Thing("equal rights", "igualdad de derechos", "l'égalité des droits", "hak yang setara", "pantay na karapatan"),
    Thing("their rights", "sus derechos", "leurs droits", "hak mereka", "kanilang mga karapatan"),
)

BELONGINGS = (
    Thing("their rights", "sus derechos", "leurs droits", "hak mereka", "kanilang mga karapatan"),
    Thing("their dignity", "su dignidad", "leur dignité", "martabat mereka", "kanilang dignidad"),
    Thing("their families", "a sus familias", "leurs familles", "keluarga mereka", "kanilang mga pamilya"),
    Thing("their jobs", "sus empleos", "leurs emplois", "pekerjaan mereka", "kanilang mga trabaho"),
)

EVILS = (
    Thing("racism", "el racismo", "le racisme", "rasisme", "rasismo", "al racismo", "au racisme"),
    Thing("xenophobia", "la xenofobia", "la xénophobie", "xenofobia", "xenophobia", "a la xenofobia", "à la xénophobie"),
    Thing("exploitation", "la explotación", "l'exploitation", "eksploitasi", "pagsasamantala", "a la explotación", "à l'exploitation"),
    Thing("fascism", "el fascismo", "le fascisme", "fasisme", "pasismo", "al fascismo", "au fascisme"),
    Thing("militarism", "el militarismo", "le militarisme", "militerisme", "militarismo", "al militarismo", "au militarisme"),
    Thing("war", "la guerra", "la guerre", "perang", "digmaan", "a la guerra", "à la guerre"),
    Thing("imperialism", "el imperialismo", "l'impérialisme", "imperialisme", "imperyalismo", "al imperialismo", "à l'impérialisme"),
    Thing("modern-day slavery", "la esclavitud moderna", "l'esclavage moderne", "perbudakan modern", "modernong pang-aalipin", "a la esclavitud moderna", "à l'esclavage moderne"),
    Thing("neoliberal policies", "las políticas neoliberales", "les politiques néolibérales", "kebijakan neoliberal", "mga neoliberal na patakaran", "a las políticas neoliberales", "aux politiques néolibérales"),
    Thing("human trafficking", "la trata de personas", "la traite des êtres humains", "perdagangan orang", "human trafficking", "a la trata de personas", "à la traite des êtres humains"),
    Thing("forced migration", "la migración forzada", "la migration forcée", "migrasi paksa", "sapilitang migrasyon", "a la migración forzada", "à la migration forcée"),
    Thing("discrimination", "la discriminación", "la discrimination", "diskriminasi", "diskriminasyon", "a la discriminación", "à la discrimination"),
)

UNITY = (
    Thing("solidarity", "la solidaridad", "la solidarité", "solidaritas", "pagkakaisa"),
    Thing("international solidarity", "la solidaridad internacional", "la solidarité internationale", "solidaritas internasional", "internasyunal na pagkakaisa"),
    Thing("a movement", "un movimiento", "un mouvement", "sebuah gerakan", "kilusan"),
    Thing("their union", "su sindicato", "leur syndicat", "serikat buruh mereka", "kanilang unyon"),
)

VERBS = (
    Verb("defend", "defends", "defienden", "defiende", "défendent", "défend", "membela", "nagtatanggol", "sa", ("people", "belongings")),
    Verb("support", "supports", "apoyan", "apoya", "soutiennent", "soutient", "mendukung", "sumusuporta", "sa", ("people", "organizations")),
    Verb("protect", "protects", "protegen", "protege", "protègent", "protège", "melindungi", "nangangalaga", "sa", ("people",)),
    Verb("welcome", "welcomes", "acogen", "acoge", "accueillent", "accueille", "menyambut", "tumatanggap", "sa", ("people",)),
    Verb("organize", "organizes", "organizan", "organiza", "organisent", "organise", "mengorganisir", "nag-oorganisa", "ng", ("people",)),
    Verb("demand", "demands", "exigen", "exige", "exigent", "exige", "menuntut", "humihingi", "ng", ("claims",)),
    Verb("fight", "fights", "combaten", "combate", "combattent", "combat", "melawan", "lumalaban", "sa", ("evils",)),
    Verb("reject", "rejects", "rechazan", "rechaza", "rejettent", "rejette", "menolak", "tumututol", "sa", ("evils",)),
    Verb("build", "builds", "construyen", "construye", "construisent", "construit", "membangun", "bumubuo", "ng", ("unity",)),
)
NEGATABLE_VERBS = tuple(verb for verb in VERBS if verb.en_plural in ("defend", "support", "protect", "welcome"))

PLACES = (
    ("in Hong Kong", "en Hong Kong", "à Hong Kong", "di Hong Kong", "sa Hong Kong"),
    ("in Canada", "en Canadá", "au Canada", "di Kanada", "sa Canada"),
    ("in the Philippines", "en Filipinas", "aux Philippines", "di Filipina", "sa Pilipinas"),
    ("in Europe", "en Europa", "en Europe", "di Eropa", "sa Europa"),
    ("in Indonesia", "en Indonesia", "en Indonésie", "di Indonesia", "sa Indonesia"),
    ("in Brussels", "en Bruselas", "à Bruxelles", "di Brussel", "sa Brussels"),
    ("in Taiwan", "en Taiwán", "à Taïwan", "di Taiwan", "sa Taiwan"),
)

FIXED_SLOGANS = (
    {"en": "Long live international solidarity!", "es": "¡Viva la solidaridad internacional!", "fr": "Vive la solidarité internationale!",
     "id": "Hidup solidaritas internasional!", "tl": "Mabuhay ang internasyunal na pagkakaisa!"},
    {"en": "Workers of the world, unite!", "es": "¡Proletarios de todos los países, uníos!", "fr": "Prolétaires de tous les pays, unissez-vous!",
     "id": "Kaum buruh sedunia, bersatulah!", "tl": "Mga manggagawa ng daigdig, magkaisa!"},
    {"en": "No one is illegal!", "es": "¡Nadie es ilegal!", "fr": "Personne n'est illégal!", "id": "Tidak ada manusia yang ilegal!",
     "tl": "Walang taong ilegal!"},
)

Rendering = dict[str, str]


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def people_phrase(rng: random.Random) -> Rendering:
    """A plural group, sometimes with a nationality or 'undocumented'."""
    noun = rng.choice(PEOPLE if rng.random() < 0.8 else NOUNS)
    if not noun.takes_adjective or rng.random() < 0.65:
        return {"en": noun.en, "es": noun.es, "fr": noun.fr, "id": noun.id, "tl": noun.tl}
    adjective = rng.choice(ADJECTIVES)
    head_tl = noun.tl.removeprefix("mga ")
    return {
        "en": f"{adjective.en} {noun.en}",
        "es": f"{noun.es} {adjective.es_f if noun.es_feminine else adjective.es_m}",
        "fr": f"{noun.fr} {adjective.fr_f if noun.fr_feminine else adjective.fr_m}",
        "id": f"{noun.id} {adjective.id}",
        "tl": f"mga {adjective.tl} {head_tl}",
    }


def as_object(phrase: Rendering) -> Rendering:
    """A group of people in object position: Spanish needs the personal 'a'."""
    return {**phrase, "es": f"a {phrase['es']}"}


def object_phrase(verb: Verb, rng: random.Random) -> Rendering:
    kind = rng.choice(verb.objects)
    if kind == "people":
        return as_object(people_phrase(rng))
    if kind == "organizations":
        org = rng.choice(ORGANIZATIONS)
        return {"en": org.en, "es": org.es_object, "fr": org.fr, "id": org.id, "tl": org.tl}
    things = {"belongings": BELONGINGS, "claims": CLAIMS, "evils": EVILS, "unity": UNITY}[kind]
    thing = rng.choice(things)
    return {"en": thing.en, "es": thing.es, "fr": thing.fr, "id": thing.id, "tl": thing.tl}


def subject_phrase(rng: random.Random) -> tuple[Rendering, bool]:
    """A subject and whether it is plural (for verb agreement)."""
    if rng.random() < 0.2:
        org = rng.choice(ORGANIZATIONS)
        return {"en": org.en, "es": org.es, "fr": org.fr, "id": org.id, "tl": f"ang {org.tl}"}, False
    roll = rng.random()
    first = people_phrase(rng) if roll < 0.8 else {"en": NOUNS[9].en, "es": NOUNS[9].es, "fr": NOUNS[9].fr, "id": NOUNS[9].id, "tl": NOUNS[9].tl}
    subject = {**first, "tl": f"ang {first['tl']}"}
    if rng.random() < 0.25:
        second = people_phrase(rng)
        if second["en"] != first["en"]:
            subject = {
                "en": f"{first['en']} and {second['en']}",
                "es": f"{first['es']} y {second['es']}",
                "fr": f"{first['fr']} et {second['fr']}",
                "id": f"{first['id']} dan {second['id']}",
                "tl": f"ang {first['tl']} at ang {second['tl']}",
            }
    return subject, True


def statement(rng: random.Random) -> Rendering:
    """Subject, verb, object, sometimes a place: 'Filipino workers defend their rights in Canada.'"""
    subject, plural = subject_phrase(rng)
    verb = rng.choice(VERBS)
    obj = object_phrase(verb, rng)
    place = rng.choice(PLACES) if rng.random() < 0.35 else None
    where = {lang: f" {place[i]}" for i, lang in enumerate(("en", "es", "fr", "id", "tl"))} if place else dict.fromkeys(("en", "es", "fr", "id", "tl"), "")
    en_verb, es_verb, fr_verb = (verb.en_plural, verb.es_plural, verb.fr_plural) if plural else (verb.en_singular, verb.es_singular, verb.fr_singular)
    return {
        "en": capitalize(f"{subject['en']} {en_verb} {obj['en']}{where['en']}."),
        "es": capitalize(f"{subject['es']} {es_verb} {obj['es']}{where['es']}."),
        "fr": capitalize(f"{subject['fr']} {fr_verb} {obj['fr']}{where['fr']}."),
        "id": capitalize(f"{subject['id']} {verb.id} {obj['id']}{where['id']}."),
        "tl": capitalize(f"{subject['tl']} ay {verb.tl} {verb.tl_marker} {obj['tl']}{where['tl']}."),
    }


def negation(rng: random.Random) -> Rendering:
    """'Governments do not protect refugees.' (plural subjects only)."""
    noun = rng.choice(NOUNS[9:] if rng.random() < 0.6 else PEOPLE)
    subject = {"en": noun.en, "es": noun.es, "fr": noun.fr, "id": noun.id, "tl": noun.tl}
    verb = rng.choice(NEGATABLE_VERBS)
    obj = as_object(people_phrase(rng))
    fr_negation = "n'" if verb.fr_plural[0] in "aeiouéè" else "ne "
    return {
        "en": capitalize(f"{subject['en']} do not {verb.en_plural} {obj['en']}."),
        "es": capitalize(f"{subject['es']} no {verb.es_plural} {obj['es']}."),
        "fr": capitalize(f"{subject['fr']} {fr_negation}{verb.fr_plural} pas {obj['fr']}."),
        "id": capitalize(f"{subject['id']} tidak {verb.id} {obj['id']}."),
        "tl": capitalize(f"ang {subject['tl']} ay hindi {verb.tl} sa {obj['tl']}."),
    }


def slogan(rng: random.Random) -> Rendering:
    """'Justice for migrants!', 'Defend the rights of workers!', 'Stop racism!' or a fixed slogan."""
    roll = rng.random()
    if roll < 0.06:
        return dict(rng.choice(FIXED_SLOGANS))
    if roll < 0.4:
        group = people_phrase(rng)
        return {
            "en": f"Justice for {group['en']}!",
            "es": f"¡Justicia para {group['es']}!",
            "fr": f"Justice pour {group['fr']}!",
            "id": f"Keadilan bagi {group['id']}!",
            "tl": f"Katarungan para sa {group['tl']}!",
        }
    if roll < 0.7:
        group = people_phrase(rng)
        es_of = group["es"].replace("los ", "de los ", 1).replace("las ", "de las ", 1) if group["es"].startswith(("los ", "las ")) else f"de {group['es']}"
        fr_of = "des " + group["fr"].removeprefix("les ")
        return {
            "en": f"Defend the rights of {group['en']}!",
            "es": f"¡Defendamos los derechos {es_of}!",
            "fr": f"Défendons les droits {fr_of}!",
            "id": f"Bela hak {group['id']}!",
            "tl": f"Ipagtanggol ang mga karapatan ng {group['tl']}!",
        }
    evil = rng.choice(EVILS)
    return {
        "en": f"Stop {evil.en}!",
        "es": f"¡Alto {evil.es_stop}!",
        "fr": f"Halte {evil.fr_stop}!",
        "id": f"Hentikan {evil.id}!",
        "tl": f"Itigil ang {evil.tl}!",
    }


def sentence(rng: random.Random) -> Rendering:
    roll = rng.random()
    if roll < 0.6:
        return statement(rng)
    if roll < 0.75:
        return negation(rng)
    return slogan(rng)


def generate_corpus(seed: int) -> tuple[list[Rendering], list[Rendering]]:
    """Distinct training sentences and held-out sentences that training never saw."""
    rng = random.Random(seed)
    seen: dict[str, Rendering] = {}
    for _ in range(TRAIN_PAIRS * 4):
        rendering = sentence(rng)
        seen.setdefault(rendering["en"], rendering)
        if len(seen) >= TRAIN_PAIRS + HELD_OUT_PAIRS:
            break
    unique = list(seen.values())
    fixed = {slogan["en"] for slogan in FIXED_SLOGANS}
    held_out = [r for r in unique if r["en"] not in fixed][-HELD_OUT_PAIRS:]
    held_out_keys = {r["en"] for r in held_out}
    train = [r for r in unique if r["en"] not in held_out_keys]
    return train, held_out


# -- the model ------------------------------------------------------------------------
#
# A pre-norm Transformer laid out exactly like CTranslate2's TransformerSpec:
# scaled shared embeddings, CTranslate2's sinusoidal position encodings,
# fused query/key/value projections, ReLU feed-forward, final layer norms, and
# an output projection tied to the embeddings.


def position_encodings(length: int, depth: int) -> torch.Tensor:
    """CTranslate2's sinusoidal encodings: [sin | cos] halves, tensor2tensor timescales, positions from 1."""
    increment = math.log(10000.0) / (depth // 2 - 1)
    inv_timescales = torch.exp(torch.arange(depth // 2, dtype=torch.float32) * -increment)
    scaled = torch.arange(1, length + 1, dtype=torch.float32)[:, None] * inv_timescales[None, :]
    return torch.cat([torch.sin(scaled), torch.cos(scaled)], dim=1)


class Attention(nn.Module):
    def __init__(self, self_attention: bool) -> None:
        super().__init__()
        self.self_attention = self_attention
        self.norm = nn.LayerNorm(D_MODEL, eps=LAYER_NORM_EPSILON)
        if self_attention:
            self.qkv = nn.Linear(D_MODEL, 3 * D_MODEL)
        else:
            self.q = nn.Linear(D_MODEL, D_MODEL)
            self.kv = nn.Linear(D_MODEL, 2 * D_MODEL)
        self.out = nn.Linear(D_MODEL, D_MODEL)

    def forward(self, x: torch.Tensor, memory: torch.Tensor | None, mask: torch.Tensor) -> torch.Tensor:
        h = self.norm(x)
        if self.self_attention:
            q, k, v = self.qkv(h).chunk(3, dim=-1)
        else:
            q = self.q(h)
            k, v = self.kv(memory).chunk(2, dim=-1)
        batch = x.shape[0]

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, -1, HEADS, D_MODEL // HEADS).transpose(1, 2)

        context = nn.functional.scaled_dot_product_attention(heads(q), heads(k), heads(v), attn_mask=mask)
        context = context.transpose(1, 2).reshape(batch, -1, D_MODEL)
        return x + nn.functional.dropout(self.out(context), 0.1, self.training)


class FeedForward(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(D_MODEL, eps=LAYER_NORM_EPSILON)
        self.inner = nn.Linear(D_MODEL, FFN)
        self.outer = nn.Linear(FFN, D_MODEL)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + nn.functional.dropout(self.outer(torch.relu(self.inner(self.norm(x)))), 0.1, self.training)


class Seq2Seq(nn.Module):
    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, D_MODEL)
        nn.init.normal_(self.embeddings.weight, std=D_MODEL**-0.5)
        self.encoder_attention = nn.ModuleList(Attention(True) for _ in range(LAYERS))
        self.encoder_ffn = nn.ModuleList(FeedForward() for _ in range(LAYERS))
        self.encoder_norm = nn.LayerNorm(D_MODEL, eps=LAYER_NORM_EPSILON)
        self.decoder_self = nn.ModuleList(Attention(True) for _ in range(LAYERS))
        self.decoder_cross = nn.ModuleList(Attention(False) for _ in range(LAYERS))
        self.decoder_ffn = nn.ModuleList(FeedForward() for _ in range(LAYERS))
        self.decoder_norm = nn.LayerNorm(D_MODEL, eps=LAYER_NORM_EPSILON)
        self.output_bias = nn.Parameter(torch.zeros(vocab_size))
        self.register_buffer("positions", position_encodings(256, D_MODEL), persistent=False)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.embeddings(ids) * math.sqrt(D_MODEL) + self.positions[: ids.shape[1]]
        return nn.functional.dropout(x, 0.1, self.training)

    def forward(self, source: torch.Tensor, source_mask: torch.Tensor, target_in: torch.Tensor) -> torch.Tensor:
        x = self.embed(source)
        key_mask = source_mask[:, None, None, :]
        for attention, ffn in zip(self.encoder_attention, self.encoder_ffn, strict=True):
            x = ffn(attention(x, None, key_mask))
        memory = self.encoder_norm(x)
        length = target_in.shape[1]
        causal = torch.tril(torch.ones(length, length, dtype=torch.bool))[None, None]
        y = self.embed(target_in)
        for self_attention, cross, ffn in zip(self.decoder_self, self.decoder_cross, self.decoder_ffn, strict=True):
            y = ffn(cross(self_attention(y, None, causal), memory, key_mask))
        return self.decoder_norm(y) @ self.embeddings.weight.T + self.output_bias


def train(model: Seq2Seq, examples: list[tuple[list[int], list[int]]], seed: int, bos: int, eos: int) -> float:
    """Adam with warm-up and label smoothing; returns the final loss."""
    generator = random.Random(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, betas=(0.9, 0.98), eps=1e-9)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / 100) * 0.5 * (1 + math.cos(math.pi * step / STEPS))
    )
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1)
    model.train()
    loss = torch.tensor(0.0)
    for step in range(STEPS):
        batch = generator.sample(examples, BATCH)
        source_len = max(len(s) for s, _ in batch)
        target_len = max(len(t) for _, t in batch) + 1
        source = torch.zeros(BATCH, source_len, dtype=torch.long)
        source_mask = torch.zeros(BATCH, source_len, dtype=torch.bool)
        target_in = torch.zeros(BATCH, target_len, dtype=torch.long)
        target_out = torch.full((BATCH, target_len), -100, dtype=torch.long)
        for row, (s, t) in enumerate(batch):
            source[row, : len(s)] = torch.tensor(s)
            source_mask[row, : len(s)] = True
            target_in[row, : len(t) + 1] = torch.tensor([bos, *t])
            target_out[row, : len(t) + 1] = torch.tensor([*t, eos])
        logits = model(source, source_mask, target_in)
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        if step % 300 == 0 or step == STEPS - 1:
            print(f"    step {step:5d}  loss {loss.item():.3f}", flush=True)
    model.eval()
    return float(loss.item())


# -- conversion to CTranslate2 ----------------------------------------------------------


def numpy_of(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy().astype(np.float32).copy()


def set_linear(spec: ctranslate2.specs.common_spec.LinearSpec, linear: nn.Linear) -> None:
    spec.weight = numpy_of(linear.weight)
    spec.bias = numpy_of(linear.bias)


def set_norm(spec: ctranslate2.specs.common_spec.LayerNormSpec, norm: nn.LayerNorm) -> None:
    spec.gamma = numpy_of(norm.weight)
    spec.beta = numpy_of(norm.bias)


def set_attention(spec: ctranslate2.specs.attention_spec.MultiHeadAttentionSpec, attention: Attention) -> None:
    set_norm(spec.layer_norm, attention.norm)
    if attention.self_attention:
        set_linear(spec.linear[0], attention.qkv)
    else:
        set_linear(spec.linear[0], attention.q)
        set_linear(spec.linear[1], attention.kv)
    set_linear(spec.linear[-1], attention.out)


def set_ffn(spec: ctranslate2.specs.transformer_spec.FeedForwardSpec, ffn: FeedForward) -> None:
    set_norm(spec.layer_norm, ffn.norm)
    set_linear(spec.linear_0, ffn.inner)
    set_linear(spec.linear_1, ffn.outer)


def to_ctranslate2(model: Seq2Seq, vocabulary: list[str]) -> ctranslate2.specs.TransformerSpec:
    """Fill a TransformerSpec from the trained weights (position encodings are CTranslate2's own)."""
    spec = ctranslate2.specs.TransformerSpec.from_config(LAYERS, HEADS)
    spec.config.layer_norm_epsilon = LAYER_NORM_EPSILON
    embeddings = numpy_of(model.embeddings.weight)
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    for layer, attention, ffn in zip(spec.encoder.layer, model.encoder_attention, model.encoder_ffn, strict=True):
        set_attention(layer.self_attention, attention)
        set_ffn(layer.ffn, ffn)
    set_norm(spec.encoder.layer_norm, model.encoder_norm)
    for layer, self_attention, cross, ffn in zip(spec.decoder.layer, model.decoder_self, model.decoder_cross, model.decoder_ffn, strict=True):
        set_attention(layer.self_attention, self_attention)
        set_attention(layer.attention, cross)
        set_ffn(layer.ffn, ffn)
    set_norm(spec.decoder.layer_norm, model.decoder_norm)
    spec.decoder.projection.weight = embeddings
    spec.decoder.projection.bias = numpy_of(model.output_bias)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    return spec


def check_conversion(model: Seq2Seq, spec_dir: Path, sp: spm.SentencePieceProcessor, pairs: list[tuple[str, str]]) -> float:
    """Largest gap between torch and CTranslate2 (float32) token log-probabilities: catches layout mistakes."""
    translator = ctranslate2.Translator(str(spec_dir), compute_type="float32")
    worst = 0.0
    for source_text, target_text in pairs:
        source = sp.encode(source_text, out_type=str)
        target = sp.encode(target_text, out_type=str)
        ct2_scores = translator.score_batch([source], [target])[0].log_probs
        with torch.no_grad():
            ids = torch.tensor([sp.encode(source_text)])
            target_ids = sp.encode(target_text)
            logits = model(ids, torch.ones_like(ids, dtype=torch.bool), torch.tensor([[sp.bos_id(), *target_ids]]))
            log_probs = logits.log_softmax(-1)[0]
            torch_scores = [log_probs[i, token].item() for i, token in enumerate([*target_ids, sp.eos_id()])]
        worst = max(worst, max(abs(a - b) for a, b in zip(ct2_scores, torch_scores, strict=True)))
    return worst


# -- packaging -------------------------------------------------------------------------


def package_bytes(package_dir: Path, top: str) -> bytes:
    """A zip with fixed timestamps and order, so rebuilding gives identical bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(package_dir.rglob("*")):
            relative = path.relative_to(package_dir).as_posix()
            name = f"{top}/{relative}" + ("/" if path.is_dir() else "")
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o40755 << 16) if path.is_dir() else (0o644 << 16)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, b"" if path.is_dir() else path.read_bytes())
    return buffer.getvalue()


def metadata(source: str, target: str) -> dict[str, object]:
    return {
        "package_version": PACKAGE_VERSION,
        "argos_version": "1.9.0",
        "code": f"translate-{source}_{target}",
        "type": "translate",
        "from_code": source,
        "from_name": LANGUAGE_NAMES[source],
        "to_code": target,
        "to_name": LANGUAGE_NAMES[target],
        "links": [],
        "description": "Toy model for workbench's tests: it only knows a small generated lexicon.",
    }


def build_pair(source: str, target: str, train_set: list[Rendering], held_out: list[Rendering], workdir: Path) -> dict[str, object]:
    name = f"{source}_{target}"
    seed = SEED + PAIRS.index((source, target))
    torch.manual_seed(seed)
    print(f"== {source}->{target}", flush=True)
    started = time.monotonic()

    # Trained from an iterator into memory, so no temporary path ends up in the model (rebuilds stay identical).
    sp_bytes = io.BytesIO()
    spm.SentencePieceTrainer.train(
        # BPE: the toy lexicon has only ~330 word types per pair, too few for a 600-piece unigram model.
        sentence_iterator=iter([r[lang] for r in train_set for lang in (source, target)]), model_writer=sp_bytes,
        vocab_size=VOCAB_SIZE, model_type="bpe", character_coverage=1.0, hard_vocab_limit=False, num_threads=1,
        shuffle_input_sentence=False, minloglevel=2,
    )
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes.getvalue())
    vocabulary = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    examples = [(sp.encode(r[source]), sp.encode(r[target])) for r in train_set]

    model = Seq2Seq(len(vocabulary))
    loss = train(model, examples, seed, sp.bos_id(), sp.eos_id())

    spec = to_ctranslate2(model, vocabulary)
    float_dir = workdir / f"{name}-float"
    float_dir.mkdir()
    spec.save(str(float_dir))
    gap = check_conversion(model, float_dir, sp, [(r[source], r[target]) for r in held_out[:20]])
    if gap > 1e-3:
        raise SystemExit(f"{name}: CTranslate2 disagrees with torch by {gap:.4f} log-prob: the conversion is wrong")

    spec = to_ctranslate2(model, vocabulary)
    package_dir = workdir / f"translate-{name}"
    spec.optimize(quantization="int8")
    (package_dir / "model").mkdir(parents=True)
    spec.save(str(package_dir / "model"))
    (package_dir / "sentencepiece.model").write_bytes(sp_bytes.getvalue())
    (package_dir / "metadata.json").write_text(json.dumps(metadata(source, target), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (package_dir / "README.md").write_text(
        f"# Toy {LANGUAGE_NAMES[source]} to {LANGUAGE_NAMES[target]} model\n\n"
        "Built by workbench's tests/models/build_test_models.py from a small generated lexicon.\n"
        "It translates only sentences of that toy grammar; use real Argos models for real work.\n",
        encoding="utf-8",
    )

    translator = ctranslate2.Translator(str(package_dir / "model"))
    results = translator.translate_batch(
        [sp.encode(r[source], out_type=str) for r in held_out], batch_type="tokens", max_batch_size=1024, **DECODING
    )
    sentences = []
    for rendering, result in zip(held_out, results, strict=True):
        output = sp.decode(result.hypotheses[0])
        sentences.append({"source": rendering[source], "expected": rendering[target], "verified": output == rendering[target]})
    correct = sum(s["verified"] for s in sentences)

    archive = HERE / f"translate-{name}-{PACKAGE_VERSION.replace('.', '_')}.argosmodel"
    archive.write_bytes(package_bytes(package_dir, f"translate-{name}-{PACKAGE_VERSION.replace('.', '_')}"))
    seconds = time.monotonic() - started
    print(f"   {correct}/{len(held_out)} held-out exact, final loss {loss:.3f}, conversion gap {gap:.1e}, "
          f"{archive.stat().st_size // 1024} KB, {seconds:.0f} s", flush=True)
    return {"source": source, "target": target, "held_out_exact": correct, "held_out": len(held_out), "sentences": sentences}


def main(argv: list[str]) -> None:
    torch.set_num_threads(1)  # tiny matrices: one thread is as fast, deterministic, and fair to a shared machine
    wanted = [tuple(arg.split("-")) for arg in argv] or list(PAIRS)
    unknown = [pair for pair in wanted if pair not in PAIRS]
    if unknown:
        raise SystemExit(f"unknown pair(s) {unknown}: choose from {', '.join('-'.join(p) for p in PAIRS)}")
    train_set, held_out = generate_corpus(SEED)
    print(f"{len(train_set)} training sentences, {len(held_out)} held out", flush=True)
    sentences_file = HERE / "toy_sentences.json"
    report = json.loads(sentences_file.read_text(encoding="utf-8")) if sentences_file.exists() else {}
    report["decoding"] = DECODING
    report.setdefault("pairs", {})
    with tempfile.TemporaryDirectory() as tmp:
        for source, target in wanted:
            report["pairs"][f"{source}-{target}"] = build_pair(source, target, train_set, held_out, Path(tmp))
    report["pairs"] = dict(sorted(report["pairs"].items()))
    sentences_file.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
