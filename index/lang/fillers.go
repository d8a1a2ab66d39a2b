package lang

import "sync"

// Spoken-language fillers: the words that top a frequency list of any
// transcript ("like, know, yeah, uh, um") and say nothing about what people
// talk about. 'tacit words' leaves them out by default (--all-words keeps
// them). They are not removed from the search index.
var spokenFillers = map[string][]string{
	"en": {
		"like", "know", "yeah", "yes", "yep", "yup", "uh", "um", "umm", "uhm", "uh-huh", "mm-hmm", "er", "erm",
		"ah", "oh", "okay", "ok", "mm", "mmm", "mhm", "hmm", "huh", "right", "well", "just", "really", "actually",
		"basically", "literally", "kind", "sort", "mean", "gonna", "gotta", "wanna", "kinda", "sorta", "stuff",
		"thing", "things", "got", "get", "lot", "sure", "also", "even", "said", "say", "says", "went", "yknow",
		"dunno", "laughs", "laughter", "inaudible", "crosstalk", "pause",
	},
	"he": {
		"כאילו", "כן", "אה", "אהה", "אמ", "אממ", "אמממ", "יעני", "בקיצור", "נגיד", "טוב", "אוקיי", "אוקי",
		"סתם", "ממש", "פשוט", "יודע", "יודעת", "נו", "כזה", "כזאת", "כאלה", "בעצם", "אז", "גם", "רק", "עוד",
		"הרבה", "דבר", "דברים", "אמרתי", "אמרה", "אמר", "מה", "זהו", "וואלה", "נכון", "צוחק", "צוחקת",
	},
	"ar": {
		"يعني", "طيب", "اه", "آه", "ايوه", "أيوه", "إيه", "ايش", "شو", "هيك", "بس", "خلص", "يلا", "والله",
		"طبعا", "كمان", "امم", "اممم", "نعم", "اوكي", "ماشي", "كذا", "يا", "ها", "هاي", "أه", "إي", "اي",
		"مثلا", "عشان", "قلت", "قال", "قالت",
	},
}

var (
	fillerOnce sync.Once
	fillerSets map[string]map[string]bool
)

// IsSpokenFiller reports whether word is a filler of spoken language
// ("um", "like", "כאילו", "يعني"), judged by its script like IsStopWord.
func IsSpokenFiller(lang, word string) bool {
	fillerOnce.Do(func() {
		fillerSets = map[string]map[string]bool{}
		for l, ws := range spokenFillers {
			set := map[string]bool{}
			for _, w := range ws {
				set[Normalize(l, w)] = true
			}
			fillerSets[l] = set
		}
	})
	n := Normalize(lang, word)
	switch scriptOf([]byte(n)) {
	case scriptHebrew:
		return fillerSets["he"][Normalize("he", word)]
	case scriptArabic:
		return fillerSets["ar"][Normalize("ar", word)]
	}
	return fillerSets["en"][Normalize("en", word)]
}
