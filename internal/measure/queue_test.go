package measure

import (
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/types"
)

func TestQueueNext(t *testing.T) {
	tests := map[string]struct {
		push    []string       // jobs as namespace/name, in arrival order
		running map[string]int // jobs already in flight per namespace
		take    int            // how many to take
		want    []string       // what is taken, in order
		left    []string       // the namespaces still in turn afterwards
	}{
		"empty":                          {take: 1},
		"one namespace, up to its limit": {push: []string{"a/1", "a/2", "a/3"}, take: 3, want: []string{"a/1", "a/2"}, left: []string{"a"}},
		"namespaces take turns":          {push: []string{"a/1", "a/2", "a/3", "b/1", "c/1"}, take: 4, want: []string{"a/1", "b/1", "c/1", "a/2"}, left: []string{"a"}},
		"a busy namespace is skipped":    {push: []string{"a/1", "b/1"}, running: map[string]int{"a": 2}, take: 2, want: []string{"b/1"}, left: []string{"a"}},
		"sixteen tarpits, one healthy":   {push: []string{"a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "a/7", "a/8", "a/9", "a/10", "a/11", "a/12", "a/13", "a/14", "a/15", "a/16", "b/healthy"}, take: 16, want: []string{"a/1", "b/healthy", "a/2"}, left: []string{"a"}},
		"a namespace with one running":   {push: []string{"a/1", "a/2"}, running: map[string]int{"a": 1}, take: 2, want: []string{"a/1"}, left: []string{"a"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			q := queue{pending: map[string][]job{}, running: map[string]int{}}
			for ns, n := range tt.running {
				q.running[ns] = n
			}
			for _, p := range tt.push {
				q.push(job{key: parse(p)})
			}
			var got []string
			for range tt.take {
				j, ok := q.next(2)
				if !ok {
					break
				}
				got = append(got, j.key.String())
			}
			g.Expect(got).To(Equal(tt.want))
			g.Expect(q.order).To(Equal(tt.left))
		})
	}
}

func TestQueueDone(t *testing.T) {
	g := NewWithT(t)
	q := queue{pending: map[string][]job{}, running: map[string]int{}}
	q.push(job{key: parse("a/1")})
	q.push(job{key: parse("a/2")})
	q.push(job{key: parse("a/3")})
	_, _ = q.next(1)
	_, ok := q.next(1)
	g.Expect(ok).To(BeFalse(), "a is at its limit")
	q.done("a")
	j, ok := q.next(1)
	g.Expect(ok).To(BeTrue())
	g.Expect(j.key.Name).To(Equal("2"))
	q.done("a")
	g.Expect(q.running).To(BeEmpty())
}

func parse(s string) types.NamespacedName {
	for i := range s {
		if s[i] == '/' {
			return types.NamespacedName{Namespace: s[:i], Name: s[i+1:]}
		}
	}
	return types.NamespacedName{Name: s}
}
