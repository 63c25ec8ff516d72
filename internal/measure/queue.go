package measure

// queue holds measurements waiting to run, per namespace in arrival order,
// and takes namespaces in turn. It is not safe for concurrent use: the
// Runner guards it.
type queue struct {
	// order lists the namespaces with waiting jobs, next turn first.
	order []string
	// pending holds each namespace's waiting jobs, oldest first.
	pending map[string][]job
	// running counts each namespace's jobs in flight.
	running map[string]int
}

func (q *queue) push(j job) {
	ns := j.key.Namespace
	if len(q.pending[ns]) == 0 {
		q.order = append(q.order, ns)
	}
	q.pending[ns] = append(q.pending[ns], j)
}

// next takes the oldest job of the first namespace in turn with fewer than
// perNamespace jobs in flight, and moves that namespace to the back of the
// turn. Namespaces at their limit keep their place.
func (q *queue) next(perNamespace int) (job, bool) {
	for i, ns := range q.order {
		if q.running[ns] >= perNamespace {
			continue
		}
		waiting := q.pending[ns]
		j := waiting[0]
		rest := append(q.order[:i:i], q.order[i+1:]...)
		if len(waiting) == 1 {
			delete(q.pending, ns)
		} else {
			q.pending[ns] = waiting[1:]
			rest = append(rest, ns)
		}
		q.order = rest
		q.running[ns]++
		return j, true
	}
	return job{}, false
}

// done records that a job of ns finished.
func (q *queue) done(ns string) {
	if q.running[ns]--; q.running[ns] <= 0 {
		delete(q.running, ns)
	}
}
