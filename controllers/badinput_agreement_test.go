package controllers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// leaf is one scalar of an object that a typed decoder can refuse: a number,
// or a string that holds a duration or a timestamp.
type leaf struct {
	path string
	kind string // "duration", "time" or "number"
}

// riskyLeaves lists the leaves of u (a valid object) whose Go types decode
// with a parser of their own.
func riskyLeaves(u any, path string) []leaf {
	var out []leaf
	switch v := u.(type) {
	case map[string]any:
		for k, child := range v {
			if path == "" && k == "metadata" {
				continue
			}
			out = append(out, riskyLeaves(child, strings.TrimPrefix(path+"."+k, "."))...)
		}
	case []any:
		for i, child := range v {
			out = append(out, riskyLeaves(child, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case int64, float64:
		out = append(out, leaf{path, "number"})
	case string:
		if _, err := time.ParseDuration(v); err == nil {
			out = append(out, leaf{path, "duration"})
		} else if _, err := time.Parse(time.RFC3339, v); err == nil {
			out = append(out, leaf{path, "time"})
		}
	}
	return out
}

// candidates are values to try at a leaf: the attacks of the issue, edges of
// Go's and CEL's ranges, and random mutations of a valid value.
func candidates(kind string, rnd *rand.Rand) []string {
	var fixed []string
	valid := ""
	switch kind {
	case "duration":
		valid = "720h"
		fixed = []string{"9999999999999h", "2562048h", "2562047h", "87600h", "87601h", "87600h0m0.001s", "1.5h30m", "0s", "-5m",
			"5m ", "1e3h", "30s", "29.999s", "24h", "24h0m0.001s", ".5h", "5.m", "0x10h", "1h1h1h1h1h1h1h", "00000000000000000001s"}
	case "time":
		valid = "2026-01-01T00:00:00Z"
		fixed = []string{"2026-01-01T00:00:00ZTjunk", "2026-01-01T00:00:00+25:00", "2026-01-01t00:00:00z", "2026-01-01T00:00:00",
			"2026-01-01", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "10000-01-01T00:00:00Z",
			"2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:00.123456789Z",
			"2026-01-01T00:00:00.1234567891Z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00-23:59",
			"2026-01-01T00:00:00+2359", "+2026-01-01T00:00:00Z", "2026-1-1T0:0:0Z"}
	case "number":
		return []string{"0", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
			"1e308", "-1e308", "1.5", "1e-400", "0.1", "123456789012345678901234567890", "4.3", "1E2", "-0"}
	}
	out := make([]string, 0, len(fixed)+12)
	for _, f := range fixed {
		out = append(out, `"`+f+`"`)
	}
	for range 12 {
		out = append(out, `"`+mutate(valid, rnd)+`"`)
	}
	return out
}

// mutate inserts, deletes or replaces a few characters of s.
func mutate(s string, rnd *rand.Rand) string {
	const alphabet = "0123456789:.+-TZtzhmsu µ"
	b := []rune(s)
	for range 1 + rnd.Intn(3) {
		i := rnd.Intn(len(b) + 1)
		c := []rune(alphabet)[rnd.Intn(len([]rune(alphabet)))]
		switch rnd.Intn(3) {
		case 0:
			b = append(b[:i], append([]rune{c}, b[i:]...)...)
		case 1:
			if i < len(b) {
				b = append(b[:i], b[i+1:]...)
			}
		default:
			if i < len(b) {
				b[i] = c
			}
		}
	}
	return string(b)
}

// TestWhatTheAPIServerAcceptsTheManagerDecodes is the schema/decoder
// agreement test: at every number, duration and timestamp of rich objects of
// every kind, it sends adversarial values through the real API server (a
// dry-run create) and decodes each object the server accepts with the codec
// the manager's cache uses. Every accepted object must decode whole.
func TestWhatTheAPIServerAcceptsTheManagerDecodes(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	raw := kubernetes.NewForConfigOrDie(restCfg).CoreV1().RESTClient()
	decoder := serializer.NewCodecFactory(testenv.Scheme).UniversalDeserializer()
	rnd := rand.New(rand.NewSource(1))
	accepted, rejected := 0, 0
	for name, base := range richObjects(ns) {
		u := jsonMap(g, base)
		kind := kindOf(base)
		u["apiVersion"], u["kind"] = v1alpha1.GroupVersion.String(), kind
		resource := "/apis/" + v1alpha1.GroupVersion.String() + "/namespaces/" + ns + "/" + strings.ToLower(kind) + "s"
		for _, l := range riskyLeaves(u, "") {
			for _, value := range candidates(l.kind, rnd) {
				obj := runtime.DeepCopyJSON(u)
				g.Expect(setPath(obj, l.path, `"`+sentinel+`"`)).To(Succeed())
				body, err := json.Marshal(obj)
				g.Expect(err).NotTo(HaveOccurred())
				// The value goes in as raw JSON text, so numbers keep their spelling.
				body = []byte(strings.Replace(string(body), `"`+sentinel+`"`, value, 1))
				out, err := raw.Post().AbsPath(resource).Param("dryRun", "All").Body(body).SetHeader("Content-Type", "application/json").DoRaw(context.Background())
				if err != nil {
					g.Expect(apierrors.IsInvalid(err) || apierrors.IsBadRequest(err)).To(BeTrue(), "%s %s=%s: %v", name, l.path, value, err)
					rejected++
					continue
				}
				accepted++
				decoded, _, err := decoder.Decode(out, nil, nil)
				g.Expect(err).NotTo(HaveOccurred(), "%s %s=%s was accepted but does not decode", name, l.path, value)
				g.Expect(v1alpha1.DecodeError(decoded.(client.Object))).To(BeEmpty(), "%s %s=%s was accepted but does not decode", name, l.path, value)
			}
		}
	}
	t.Logf("%d adversarial objects accepted and decoded, %d rejected", accepted, rejected)
	g.Expect(accepted).To(BeNumerically(">", 100), "the test must exercise accepted values too")
	g.Expect(rejected).To(BeNumerically(">", 100), "the test must exercise rejected values too")
}

// sentinel marks the leaf under test in an object's JSON.
const sentinel = "__agreement_value__"
