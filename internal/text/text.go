// Package text holds the small wording rules messages share.
package text

import "strconv"

// Plural counts a noun in English: "1 nomination", "3 nominations".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
