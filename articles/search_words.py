"""
How search reads words, in every language: lower case and without accents,
stop words left out, endings cut by a rough stemmer. The word-match fallback
and the highlighting use these; PostgreSQL's configurations do the same there.
"""

import re
import unicodedata

# PostgreSQL's stop words (english.stop, spanish.stop), so that the fallback
# ignores the same words as full-text search ("what is a VCF" searches for
# "VCF", "qué es la cifoplastia" for "cifoplastia").
STOP_WORDS_TEXT = {
    "en": """
        i me my myself we our ours ourselves you your yours yourself yourselves
        he him his himself she her hers herself it its itself they them their
        theirs themselves what which who whom this that these those am is are
        was were be been being have has had having do does did doing a an the
        and but if or because as until while of at by for with about against
        between into through during before after above below to from up down
        in out on off over under again further then once here there when where
        why how all any both each few more most other some such no nor not only
        own same so than too very s t can will just don should now
    """,
    "es": """
        de la que el en y a los del se las por un para con no una su al lo como
        más pero sus le ya o este sí porque esta entre cuando muy sin sobre
        también me hasta hay donde quien desde todo nos durante todos uno les
        ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo
        otro otras otra él tanto esa estos mucho quienes nada muchos cual poco
        ella estar estas algunas algo nosotros mi mis tú te ti tu tus ellas
        nosotras vosostros vosostras os mío mía míos mías tuyo tuya tuyos tuyas
        suyo suya suyos suyas nuestro nuestra nuestros nuestras vuestro vuestra
        vuestros vuestras esos esas estoy estás está estamos estáis están esté
        estés estemos estéis estén estaré estarás estará estaremos estaréis
        estarán estaría estarías estaríamos estaríais estarían estaba estabas
        estábamos estabais estaban estuve estuviste estuvo estuvimos estuvisteis
        estuvieron estuviera estuvieras estuviéramos estuvierais estuvieran
        estuviese estuvieses estuviésemos estuvieseis estuviesen estando estado
        estada estados estadas estad he has ha hemos habéis han haya hayas
        hayamos hayáis hayan habré habrás habrá habremos habréis habrán habría
        habrías habríamos habríais habrían había habías habíamos habíais habían
        hube hubiste hubo hubimos hubisteis hubieron hubiera hubieras
        hubiéramos hubierais hubieran hubiese hubieses hubiésemos hubieseis
        hubiesen habiendo habido habida habidos habidas soy eres es somos sois
        son sea seas seamos seáis sean seré serás será seremos seréis serán
        sería serías seríamos seríais serían era eras éramos erais eran fui
        fuiste fue fuimos fuisteis fueron fuera fueras fuéramos fuerais fueran
        fuese fueses fuésemos fueseis fuesen sintiendo sentido sentida sentidos
        sentidas siente sentid tengo tienes tiene tenemos tenéis tienen tenga
        tengas tengamos tengáis tengan tendré tendrás tendrá tendremos tendréis
        tendrán tendría tendrías tendríamos tendríais tendrían tenía tenías
        teníamos teníais tenían tuve tuviste tuvo tuvimos tuvisteis tuvieron
        tuviera tuvieras tuviéramos tuvierais tuvieran tuviese tuvieses
        tuviésemos tuvieseis tuviesen teniendo tenido tenida tenidos tenidas
        tened
    """,
}

# A rough stemmer per language for the fallback, so that "walking" finds "walk",
# "injuries" "injury" and "dolores" "dolor" (PostgreSQL stems with its search
# config instead): one ending comes off when enough of the word is left, never
# the "s" of "ss". Words arrive without accents, so "operaciones" leaves
# "operacion", which starts "operación" too.
ENDINGS = {
    "en": re.compile(r"(?:(?<=\w{3})(?:ies|ing|ed)|(?<=\w{4})es|(?<=\w{3})(?<!s)s)$"),
    # Spanish plurals ("-es" after a consonant, "-s" after a vowel), infinitives
    # and gerunds: "caminar" finds "camine" and "caminando".
    "es": re.compile(
        r"(?:(?<=\w{2}[^\Waeiou])es|(?<=\w{2}[aeiou])s|(?<=\w{4})(?:ar|er|ir|ando|iendo))$"
    ),
}

WORD = re.compile(r"\w+")


def plain(text):
    """Text as search compares it: lower case, accents off ("Vértebra, niño" → "vertebra, nino")."""
    # As PostgreSQL's unaccent does, "ñ" reads as "n": patients without a
    # Spanish keyboard type "nino" for "niño".
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return unicodedata.normalize(
        "NFC", "".join(char for char in decomposed if not unicodedata.combining(char))
    )


STOP_WORDS = {
    language: frozenset(plain(text).split())
    for language, text in STOP_WORDS_TEXT.items()
}


def accented_letters():
    """Each plain letter with its accented forms from "à" to "ž": {"e": "èéêë…", …}."""
    letters = {}
    for char in map(chr, range(0xE0, 0x180)):
        if char.islower() and len(plain(char)) == 1 and plain(char) != char:
            letters[plain(char)] = letters.get(plain(char), "") + char
    return letters


# For patterns that find a word however the text accents it: "e" stands for "[eèéêë…]".
ACCENTED = accented_letters()


# plain() for long texts, much faster: lower-cased, then each accented letter
# from "à" to "ž" as its plain one.
FOLD = str.maketrans(
    {char: letter for letter, chars in ACCENTED.items() for char in chars}
)


def fold(text):
    """Lower case without accents, as plain() (for Latin letters), but fast."""
    return text.casefold().translate(FOLD)


def any_accents(text):
    """A regex for text with or without accents, in any case: "vertebra" finds "Vértebra"."""
    return "".join(
        f"[{char}{ACCENTED[char]}]" if char in ACCENTED else re.escape(char)
        for char in plain(text)
    )


def query_words(text, language):
    """The stems of the words in text, lower-case and without accents, without stop words."""
    stop_words = STOP_WORDS.get(language, frozenset())
    endings = ENDINGS.get(language)
    words = [
        endings.sub("", word) if endings else word
        for word in WORD.findall(plain(text))
        if word not in stop_words
    ]
    return list(dict.fromkeys(words))
