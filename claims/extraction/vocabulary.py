"""The words attribution reads names by: titles, pronouns, words that are no names, vague
subjects and documents."""

TITLES = {
    "president", "vice", "ceo", "cfo", "coo", "chief", "officer", "chairman", "chairwoman",
    "chair", "director", "spokesperson", "spokesman", "spokeswoman", "ambassador",
    "minister", "secretary", "head", "executive", "manager", "managing", "founder",
    "senior", "general", "counsel", "representative", "editor", "analyst", "commissioner",
    "scientist", "governor", "mayor", "lawyer", "economist", "cardiologist", "adviser",
    "advisor", "researcher", "official", "spokespeople", "councillor", "negotiator",
}  # fmt: skip
PRONOUNS = {"he", "she", "it", "they", "we", "i"}
# Capitalised words that start a sentence or name a day and are no name.
NOT_NAMES = {
    "all", "and", "but", "yet", "so", "however", "earlier", "over", "in", "on", "as", "this",
    "that", "the", "it", "its", "there", "speaking", "giving", "delivering", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "prof",
    "prof.", "analysts", "officials", "critics", "others", "some", "experts", "residents",
    "observers", "about", "when", "after", "back",
}  # fmt: skip
# Subjects that name nobody in particular: left empty, never guessed.
VAGUE = {
    "others", "some", "critics", "experts", "observers", "many", "analysts", "officials",
    "insiders", "scholars", "sources", "traders", "academics", "diplomats", "residents",
}  # fmt: skip
PARTICLES = {"van", "von", "de", "der", "den", "da", "du", "al", "bin", "le", "la", "di"}
# Documents are not speakers: "according to the report" is the report's author.
DOCUMENTS = {
    "report", "letter", "statement", "survey", "study", "data", "figures", "review", "findings",
    "draft", "assessment", "analysis", "estimate", "estimates", "note", "filing", "notice",
    "submission",
}  # fmt: skip
MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
