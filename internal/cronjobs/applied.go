package cronjobs

import (
	"encoding/json"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	batchv1ac "k8s.io/client-go/applyconfigurations/batch/v1"
	"k8s.io/utils/ptr"
)

// Unchanged reports whether existing already holds exactly what desired
// would apply, as fields Momentum's field owner still owns. It compares the
// live object, not a record of what was applied: a field someone else
// changed (a `kubectl edit` of the notify pod's arguments) passed to that
// writer, so it is missing from what Momentum owns and the next apply puts it
// back. An object nobody touched compares equal and is not written.
func Unchanged(existing, desired *batchv1.CronJob) bool {
	if existing == nil {
		return false
	}
	applied, err := batchv1ac.ExtractCronJob(existing, FieldOwner)
	if err != nil {
		return false
	}
	return sameContent(applied, desired)
}

// Paused returns what Momentum applied to existing, with its schedule
// suspended, to apply when the desired CronJob cannot be built: a CronJob
// whose digest is stale must not run again. It is nil when existing is
// absent, already suspended as Momentum left it, or holds nothing Momentum
// applied.
func Paused(existing *batchv1.CronJob) *batchv1.CronJob {
	if existing == nil {
		return nil
	}
	applied, err := batchv1ac.ExtractCronJob(existing, FieldOwner)
	if err != nil || applied.Spec == nil {
		return nil
	}
	data, err := json.Marshal(applied)
	if err != nil {
		return nil
	}
	cj := &batchv1.CronJob{}
	if err := json.Unmarshal(data, cj); err != nil {
		return nil
	}
	cj.Spec.Suspend = ptr.To(true)
	if Unchanged(existing, cj) {
		return nil
	}
	return cj
}

// sameContent reports whether a and b carry the same fields as an apply
// request would: compared as JSON, without status, server-set metadata and
// null or empty values, which apply ignores.
func sameContent(a, b any) bool {
	na, errA := applyContent(a)
	nb, errB := applyContent(b)
	return errA == nil && errB == nil && equality.Semantic.DeepEqual(na, nb)
}

func applyContent(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	delete(m, "status")
	if md, ok := m["metadata"].(map[string]any); ok {
		for _, k := range []string{"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"} {
			delete(md, k)
		}
	}
	return prune(m), nil
}

// prune drops null values and empty objects, recursively.
func prune(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if p := prune(e); p == nil {
				delete(t, k)
			} else {
				t[k] = p
			}
		}
		if len(t) == 0 {
			return nil
		}
	case []any:
		for i := range t {
			t[i] = prune(t[i])
		}
	}
	return v
}
