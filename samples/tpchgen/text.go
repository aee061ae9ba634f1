package tpchgen

import (
	"math/rand/v2"
	"strings"
)

// Word lists of the specification's text grammar (clause 4.2.2.13).
var (
	nouns = []string{"packages", "requests", "accounts", "deposits", "foxes", "ideas", "theodolites", "pinto beans",
		"instructions", "dependencies", "excuses", "platelets", "asymptotes", "courts", "dolphins", "multipliers",
		"sauternes", "warthogs", "frets", "dinos", "attainments", "somas", "Tiresias'", "patterns", "forges", "braids",
		"hockey players", "frays", "warhorses", "dugouts", "notornis", "epitaphs", "pearls", "tithes", "waters",
		"orbits", "gifts", "sheaves", "depths", "sentiments", "decoys", "realms", "pains", "grouches", "escapades"}
	verbs = []string{"sleep", "wake", "are", "cajole", "haggle", "nag", "use", "boost", "affix", "detect", "integrate",
		"maintain", "nod", "was", "lose", "sublate", "solve", "thrash", "promise", "engage", "hinder", "print", "x-ray",
		"breach", "eat", "grow", "impress", "mold", "poach", "serve", "run", "dazzle", "snooze", "doze", "unwind",
		"kindle", "play", "hang", "believe", "doubt"}
	adjectives = []string{"special", "pending", "unusual", "express", "furious", "sly", "careful", "blithe", "quick",
		"fluffy", "slow", "quiet", "ruthless", "thin", "close", "dogged", "daring", "brave", "stealthy", "permanent",
		"enticing", "idle", "busy", "regular", "final", "ironic", "even", "bold", "silent"}
	adverbs = []string{"sometimes", "always", "never", "furiously", "slyly", "carefully", "blithely", "quickly",
		"fluffily", "slowly", "quietly", "ruthlessly", "thinly", "closely", "doggedly", "daringly", "bravely",
		"stealthily", "permanently", "enticingly", "idly", "busily", "regularly", "finally", "ironically", "evenly",
		"boldly", "silently"}
	prepositions = []string{"about", "above", "according to", "across", "after", "against", "along", "alongside of",
		"among", "around", "at", "atop", "before", "behind", "beneath", "beside", "besides", "between", "beyond", "by",
		"despite", "during", "except", "for", "from", "in place of", "inside", "instead of", "into", "near", "of", "on",
		"outside", "over", "past", "since", "through", "throughout", "to", "toward", "under", "until", "up", "upon",
		"without", "with", "within"}
	auxiliaries = []string{"do", "may", "might", "shall", "will", "would", "can", "could", "should", "ought to", "must",
		"will have to", "shall have to", "could have to", "should have to", "must have to", "need to", "try to"}
	terminators = []string{".", ";", ":", "?", "!", "--"}
)

// Value lists of clauses 4.2.2.13 and 4.2.3. These and the word lists are
// read-only tables.
var (
	colors = []string{"almond", "antique", "aquamarine", "azure", "beige", "bisque", "black", "blanched", "blue",
		"blush", "brown", "burlywood", "burnished", "chartreuse", "chiffon", "chocolate", "coral", "cornflower",
		"cornsilk", "cream", "cyan", "dark", "deep", "dim", "dodger", "drab", "firebrick", "floral", "forest",
		"frosted", "gainsboro", "ghost", "goldenrod", "green", "grey", "honeydew", "hot", "indian", "ivory", "khaki",
		"lace", "lavender", "lawn", "lemon", "light", "lime", "linen", "magenta", "maroon", "medium", "metallic",
		"midnight", "mint", "misty", "moccasin", "navajo", "navy", "olive", "orange", "orchid", "pale", "papaya",
		"peach", "peru", "pink", "plum", "powder", "puff", "purple", "red", "rose", "rosy", "royal", "saddle",
		"salmon", "sandy", "seashell", "sienna", "sky", "slate", "smoke", "snow", "spring", "steel", "tan",
		"thistle", "tomato", "turquoise", "violet", "wheat", "white", "yellow"}
	typeSyl1      = []string{"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"}
	typeSyl2      = []string{"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"}
	typeSyl3      = []string{"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"}
	containerSyl1 = []string{"SM", "LG", "MED", "JUMBO", "WRAP"}
	containerSyl2 = []string{"CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"}
	segments      = []string{"AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"}
	priorities    = []string{"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"}
	instructions  = []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	shipModes     = []string{"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"}
	regionNames   = []string{"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"}
	nationNames   = []string{"ALGERIA", "ARGENTINA", "BRAZIL", "CANADA", "EGYPT", "ETHIOPIA", "FRANCE", "GERMANY", "INDIA", "INDONESIA", "IRAN", "IRAQ", "JAPAN", "JORDAN", "KENYA", "MOROCCO", "MOZAMBIQUE", "PERU", "CHINA", "ROMANIA", "SAUDI ARABIA", "VIETNAM", "RUSSIA", "UNITED KINGDOM", "UNITED STATES"}
	nationRegions = []int64{0, 1, 1, 1, 4, 0, 3, 3, 2, 2, 4, 4, 2, 4, 0, 0, 0, 1, 2, 3, 4, 2, 3, 3, 1}
)

const (
	// addressChars are the characters of random v-strings (addresses).
	addressChars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ,"
	// textPoolBytes is the size of the text comments are cut from.
	textPoolBytes  = 1 << 20
	textPoolSeed   = 0x7e47
	textPoolStream = 1
)

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// nounPhrase appends a noun phrase: noun | adjective noun |
// adjective, adjective noun | adverb adjective noun.
func nounPhrase(sb *strings.Builder, r *rand.Rand) {
	switch r.IntN(4) {
	case 1:
		sb.WriteString(pick(r, adjectives))
		sb.WriteByte(' ')
	case 2:
		sb.WriteString(pick(r, adjectives))
		sb.WriteString(", ")
		sb.WriteString(pick(r, adjectives))
		sb.WriteByte(' ')
	case 3:
		sb.WriteString(pick(r, adverbs))
		sb.WriteByte(' ')
		sb.WriteString(pick(r, adjectives))
		sb.WriteByte(' ')
	}
	sb.WriteString(pick(r, nouns))
}

// verbPhrase appends a verb phrase: verb | auxiliary verb | verb adverb |
// auxiliary verb adverb.
func verbPhrase(sb *strings.Builder, r *rand.Rand) {
	k := r.IntN(4)
	if k == 1 || k == 3 {
		sb.WriteString(pick(r, auxiliaries))
		sb.WriteByte(' ')
	}
	sb.WriteString(pick(r, verbs))
	if k >= 2 {
		sb.WriteByte(' ')
		sb.WriteString(pick(r, adverbs))
	}
}

// sentence appends one sentence of the grammar, followed by a space.
func sentence(sb *strings.Builder, r *rand.Rand) {
	nounPhrase(sb, r)
	sb.WriteByte(' ')
	verbPhrase(sb, r)
	switch r.IntN(5) {
	case 1: // noun phrase, verb phrase, prepositional phrase
		sb.WriteByte(' ')
		sb.WriteString(pick(r, prepositions))
		sb.WriteString(" the ")
		nounPhrase(sb, r)
	case 2: // noun phrase, verb phrase, noun phrase
		sb.WriteByte(' ')
		nounPhrase(sb, r)
	case 3: // noun phrase, prepositional phrase, verb phrase, noun phrase
		sb.WriteByte(' ')
		nounPhrase(sb, r)
		sb.WriteByte(' ')
		sb.WriteString(pick(r, prepositions))
		sb.WriteString(" the ")
		nounPhrase(sb, r)
	}
	sb.WriteString(pick(r, terminators))
	sb.WriteByte(' ')
}

// textPool builds the deterministic text that comments are cut from.
func textPool() string {
	r := rand.New(rand.NewPCG(textPoolSeed, textPoolStream))
	var sb strings.Builder
	sb.Grow(textPoolBytes + 256)
	for sb.Len() < textPoolBytes {
		sentence(&sb, r)
	}
	return sb.String()[:textPoolBytes]
}

// comment returns a substring of the pool whose length is uniform in [lo, hi],
// starting at a random offset (clause 4.2.2.10).
func comment(r *rand.Rand, pool string, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	off := r.IntN(len(pool) - n + 1)
	return pool[off : off+n]
}
