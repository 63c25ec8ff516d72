package sources

import (
	"bytes"
	"encoding/json"
	"runtime"
	"testing"
	"time"
)

// FuzzJSONPath evaluates every jsonPath that ValidateJSONPath accepts over
// small responses, as a measurement does, and holds each evaluation to a
// budget of memory and time: the paths it refused made kubectl's evaluator
// allocate over a gigabyte on a 15-byte response.
func FuzzJSONPath(f *testing.F) {
	for _, seed := range [][2]string{
		{"{.data.nps}", `{"data":{"nps":42}}`},
		{"{.results[0].score}", `{"results":[{"score":1},{"score":2}]}`},
		{"{.items[?(@.name==\"nps\")].value}", `{"items":[{"name":"nps","value":7},{"name":"x","value":1}]}`},
		{"{.*.*.*.*}", `{"a":{"b":{"c":{"d":1}}}}`},
		{"{[*][*][*][*][*][*]}", `[[[[[[1,1],[1,1]]]]]]`},
		{"{[0,0,0,0,0,0,0,0,0,0][0,0,0,0,0,0,0,0,0,0][0,0,0,0,0,0,0,0,0,0]}", `[[[1]]]`},
		{"{..a..a..a..a}", `{"a":{"a":{"a":{"a":{"a":{"a":1}}}}}}`},
	} {
		f.Add(seed[0], []byte(seed[1]))
	}
	f.Fuzz(func(t *testing.T, path string, body []byte) {
		if len(path) > 256 || len(body) > 4096 || ValidateJSONPath(path) != nil {
			return
		}
		jp, err := compileJSONPath(path)
		if err != nil {
			t.Fatalf("ValidateJSONPath accepted %q but it does not compile: %v", path, err)
		}
		var data any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if dec.Decode(&data) != nil {
			return
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, _ = selectNumber(jp, path, data)
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
			t.Fatalf("%q over %d bytes allocated %d MiB", path, len(body), alloc>>20)
		}
		if elapsed > time.Second {
			t.Fatalf("%q over %d bytes took %s", path, len(body), elapsed)
		}
	})
}
