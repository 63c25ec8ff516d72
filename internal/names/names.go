// Package names names the objects Momentum creates for its owners (reminder
// and spotlight CronJobs, celebration Jobs). A name is a readable prefix (the
// owner's name and the child's key) and a short hash of everything that
// identifies the child: the owner's kind and name, the child's role and key.
// Two different children therefore never want the same name, however their
// owners and keys are spelt ("foo" + "bar-baz" and "foo-bar" + "baz" only
// share the readable part), and every name fits the limit of its kind.
package names

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"strings"
)

const (
	// CronJobMaxLength is the longest CronJob name: the CronJob controller
	// appends 11 characters to it for the Jobs it creates.
	CronJobMaxLength = 52
	// JobMaxLength is the longest Job name: it becomes a label value.
	JobMaxLength = 63
	// hashLength characters of base32 carry 50 bits of the hash.
	hashLength = 10
)

// Child identifies an object Momentum creates for an owner.
type Child struct {
	// OwnerKind and OwnerName identify the owner in its namespace.
	OwnerKind, OwnerName string
	// Role says what the child does for the owner: "reminder", "spotlight", "celebration".
	Role string
	// Key tells apart children of one role: the reminder's name, the win's key.
	Key string
}

// Roles of Momentum's children.
const (
	RoleReminder    = "reminder"
	RoleSpotlight   = "spotlight"
	RoleCelebration = "celebration"
	// RoleLedger is the ConfigMap recording what an owner delivered.
	RoleLedger = "ledger"
)

// CronJob is the name of a CronJob child: at most CronJobMaxLength characters.
func CronJob(c Child) string { return name(c, CronJobMaxLength) }

// Job is the name of a Job child: at most JobMaxLength characters.
func Job(c Child) string { return name(c, JobMaxLength) }

// name is "<readable prefix>-<hash>", a DNS-1123 label of at most limit
// characters. The prefix is the owner's name and the key (or, without a
// key, the role), lower-cased, with anything but letters, digits and '-'
// turned into '-', cut to fit.
func name(c Child, limit int) string {
	// JSON keeps the parts apart: no two different children hash the same input.
	id, _ := json.Marshal([]string{c.OwnerKind, c.OwnerName, c.Role, c.Key})
	sum := sha256.Sum256(id)
	hash := strings.ToLower(base32.StdEncoding.EncodeToString(sum[:]))[:hashLength]
	readable := c.Key
	if readable == "" {
		readable = c.Role
	}
	prefix := sanitize(c.OwnerName + "-" + readable)
	prefix = strings.Trim(prefix[:min(len(prefix), limit-hashLength-1)], "-")
	if prefix == "" {
		return hash
	}
	return prefix + "-" + hash
}

// sanitize lower-cases s and replaces what a DNS label cannot hold with '-'.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		default:
			return '-'
		}
	}, s)
}
