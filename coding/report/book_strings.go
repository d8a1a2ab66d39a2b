package report

import (
	"fmt"
	"strings"
)

// The book's own words, in the languages a book can be written in.
var bookWords = map[string]map[string]string{
	"en": {
		"contents":      "Contents",
		"method":        "Method",
		"stories":       "The stories",
		"story":         "Story",
		"summary":       "Summary",
		"notSeen":       "Principles of the study not seen in this story",
		"noPrinciple":   "No principle of the study was coded in this story.",
		"nothingCoded":  "Nothing was coded for this section.",
		"principles":    "Principles of action",
		"principlesIn":  "How often each principle of action appears across the %d stories; \"most\" means more than %s of them.",
		"all":           "In all stories",
		"most":          "In most stories",
		"some":          "In some stories",
		"none":          "In no story",
		"inStories":     "In %d of %d stories (%s).",
		"seenBy":        "Seen by",
		"both":          "both sides in %d",
		"absent":        "Not seen in",
		"notes":         "Notes",
		"codedBy":       "coded by",
		"key":           "key passage",
		"fullNote":      "full passage in note %d",
		"appCodebook":   "Appendix A: The codebook",
		"appAgreement":  "Appendix B: Inter-coder agreement",
		"code":          "Code",
		"description":   "Description",
		"codings":       "Codings",
		"nStories":      "Stories",
		"coders":        "Coders",
		"unit":          "Unit of comparison",
		"units":         "Units",
		"percent":       "Agreement %",
		"kappa":         "Cohen's κ",
		"alpha":         "Krippendorff's α",
		"allCodes":      "All codes",
		"client":        "Client",
		"staff":         "Staff",
		"interviewer":   "Interviewer",
		"noRole":        "Other speakers",
		"madeBy":        "Made by tacit from the coded interviews. Every quote is the coded passage exactly.",
		"filters":       "Filters",
		"storyOf":       "Story %d of %d",
		"memoFollows":   "",
		"principleWord": "Principle",
	},
	"he": {
		"contents":      "תוכן העניינים",
		"method":        "שיטה",
		"stories":       "הסיפורים",
		"story":         "סיפור",
		"summary":       "תקציר",
		"notSeen":       "עקרונות המחקר שלא נראו בסיפור זה",
		"noPrinciple":   "לא קודד בסיפור זה אף עיקרון של המחקר.",
		"nothingCoded":  "לא קודד דבר עבור פרק זה.",
		"principles":    "עקרונות פעולה",
		"principlesIn":  "באיזו תדירות מופיע כל עיקרון פעולה ב-%d הסיפורים; \"רוב\" פירושו יותר מ-%s מהם.",
		"all":           "בכל הסיפורים",
		"most":          "ברוב הסיפורים",
		"some":          "בחלק מהסיפורים",
		"none":          "באף סיפור",
		"inStories":     "ב-%d מתוך %d סיפורים (%s).",
		"seenBy":        "מנקודת המבט של",
		"both":          "שני הצדדים ב-%d",
		"absent":        "לא נראה ב",
		"notes":         "הערות",
		"codedBy":       "קודד בידי",
		"key":           "קטע מפתח",
		"fullNote":      "הקטע המלא בהערה %d",
		"appCodebook":   "נספח א: ספר הקודים",
		"appAgreement":  "נספח ב: הסכמה בין מקודדים",
		"code":          "קוד",
		"description":   "תיאור",
		"codings":       "קידודים",
		"nStories":      "סיפורים",
		"coders":        "מקודדים",
		"unit":          "יחידת ההשוואה",
		"units":         "יחידות",
		"percent":       "% הסכמה",
		"kappa":         "κ של כהן",
		"alpha":         "α של קריפנדורף",
		"allCodes":      "כל הקודים",
		"client":        "הפונה",
		"staff":         "איש הצוות",
		"interviewer":   "המראיין",
		"noRole":        "דוברים אחרים",
		"madeBy":        "נוצר ב-tacit מן הראיונות המקודדים. כל ציטוט הוא הקטע המקודד במדויק.",
		"filters":       "מסננים",
		"storyOf":       "סיפור %d מתוך %d",
		"memoFollows":   "",
		"principleWord": "עיקרון",
	},
	"ar": {
		"contents":      "المحتويات",
		"method":        "المنهجية",
		"stories":       "القصص",
		"story":         "القصة",
		"summary":       "ملخص",
		"notSeen":       "مبادئ الدراسة التي لم تظهر في هذه القصة",
		"noPrinciple":   "لم يُرمَّز في هذه القصة أي مبدأ من مبادئ الدراسة.",
		"nothingCoded":  "لم يُرمَّز شيء لهذا القسم.",
		"principles":    "مبادئ العمل",
		"principlesIn":  "عدد مرات ظهور كل مبدأ من مبادئ العمل في القصص الـ%d؛ \"معظم\" تعني أكثر من %s منها.",
		"all":           "في جميع القصص",
		"most":          "في معظم القصص",
		"some":          "في بعض القصص",
		"none":          "في أي قصة",
		"inStories":     "في %d من %d قصص (%s).",
		"seenBy":        "من منظور",
		"both":          "الطرفان في %d",
		"absent":        "لم يظهر في",
		"notes":         "ملاحظات",
		"codedBy":       "رمّزه",
		"key":           "مقطع أساسي",
		"fullNote":      "المقطع الكامل في الملاحظة %d",
		"appCodebook":   "ملحق أ: دليل الترميز",
		"appAgreement":  "ملحق ب: الاتفاق بين المرمّزين",
		"code":          "الرمز",
		"description":   "الوصف",
		"codings":       "الترميزات",
		"nStories":      "القصص",
		"coders":        "المرمّزون",
		"unit":          "وحدة المقارنة",
		"units":         "الوحدات",
		"percent":       "نسبة الاتفاق %",
		"kappa":         "كابا كوهين κ",
		"alpha":         "ألفا كريبندورف α",
		"allCodes":      "جميع الرموز",
		"client":        "المتلقي",
		"staff":         "الطاقم",
		"interviewer":   "المحاور",
		"noRole":        "متحدثون آخرون",
		"madeBy":        "أُعدّ بواسطة tacit من المقابلات المرمّزة. كل اقتباس هو المقطع المرمّز حرفيًا.",
		"filters":       "المرشحات",
		"storyOf":       "القصة %d من %d",
		"memoFollows":   "",
		"principleWord": "مبدأ",
	},
}

// words returns the book's strings in lang (English when unknown).
type words map[string]string

func wordsFor(lang string) words {
	if w, ok := bookWords[normLang(lang)]; ok {
		return w
	}
	return bookWords["en"]
}

func (w words) T(k string) string {
	if s, ok := w[k]; ok {
		return s
	}
	return bookWords["en"][k]
}

func (w words) Tf(k string, args ...any) string { return fmt.Sprintf(w.T(k), args...) }

// role names a side of a section: the known roles in the book's language,
// others as they are.
func (w words) Role(r string) string {
	switch strings.ToLower(r) {
	case "client", "staff", "interviewer":
		return w.T(strings.ToLower(r))
	case "":
		return w.T("noRole")
	}
	return r
}

// level is the heading of a recurrence level.
func (w words) Level(l string) string {
	switch l {
	case LevelAll, LevelMost, LevelSome:
		return w.T(l)
	}
	return w.T("none")
}

// leafName is the last part of a code path.
func leafName(path string) string { return path[strings.LastIndex(path, "/")+1:] }
