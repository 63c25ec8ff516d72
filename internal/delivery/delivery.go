// Package delivery decides, from the one-off Jobs that tried to deliver one
// key (a quick win, a digest), whether it was delivered, whether a new
// attempt is due and when, or whether to give up and report it. Each
// attempt is its own Job with backoffLimit 0: a failed pod may have posted,
// so only the manager, which sees how it failed, starts another. Pure.
package delivery

import (
	"slices"
	"strconv"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Phase is how one attempt ended, if it did.
type Phase string

// Phases of an attempt.
const (
	// Running: the Job has not finished.
	Running Phase = "Running"
	// Succeeded: the message was delivered.
	Succeeded Phase = "Succeeded"
	// Failed: delivery failed and the receiver did not get the message
	// (the pod exited 1 and the Job hit its backoff limit): safe to retry.
	Failed Phase = "Failed"
	// Ambiguous: delivery failed after the request was sent, or the pod was
	// stopped mid-way (a deadline, a pod failure policy): the receiver may
	// have the message, so it is never sent again.
	Ambiguous Phase = "Ambiguous"
)

// Attempt is one Job that tried to deliver a key.
type Attempt struct {
	// N is the attempt's number, from 1.
	N int
	Phase
	// At is when it finished; zero while it runs.
	At time.Time
}

// PhaseOf reads a Job's outcome from its conditions, as the Job controller
// writes them: Complete, or Failed with BackoffLimitExceeded (the pod exited
// with a clear failure), or Failed for any other reason (ambiguous).
func PhaseOf(j *batchv1.Job) (Phase, time.Time) {
	for _, c := range j.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete:
			return Succeeded, c.LastTransitionTime.Time
		case batchv1.JobFailed:
			if c.Reason == batchv1.JobReasonBackoffLimitExceeded {
				return Failed, c.LastTransitionTime.Time
			}
			return Ambiguous, c.LastTransitionTime.Time
		}
	}
	return Running, time.Time{}
}

// Policy bounds the attempts of one key.
type Policy struct {
	// Attempts is the most Jobs one key gets; 0 means DefaultAttempts.
	Attempts int
	// Backoff is the wait after the first failed attempt, doubled after
	// each further one, capped at MaxBackoff; 0 means DefaultBackoff.
	Backoff time.Duration
}

// Defaults of Policy: 4 attempts, 30 s, 1 min and 2 min apart.
const (
	DefaultAttempts = 4
	DefaultBackoff  = 30 * time.Second
	MaxBackoff      = 10 * time.Minute
)

// Plan is what to do about one key now.
type Plan struct {
	// Delivered: an attempt succeeded; record the key as delivered.
	Delivered bool
	// Create is the number of the attempt to create now; 0 for none.
	Create int
	// RetryAt is when the next attempt is due, if one waits for its backoff.
	RetryAt time.Time
	// GaveUp says why no attempt will follow: "" while one may.
	GaveUp string
}

// Next decides for one key from its attempts (in any order).
func Next(p Policy, attempts []Attempt, now time.Time) Plan {
	if len(attempts) == 0 {
		return Plan{Create: 1}
	}
	if slices.ContainsFunc(attempts, func(a Attempt) bool { return a.Phase == Succeeded }) {
		return Plan{Delivered: true}
	}
	last := slices.MaxFunc(attempts, func(a, b Attempt) int { return a.N - b.N })
	switch {
	case last.Phase == Running:
		return Plan{}
	case last.Phase == Ambiguous:
		return Plan{GaveUp: "may have been delivered, so it is not sent again"}
	case last.N >= p.attempts():
		return Plan{GaveUp: "failed " + times(last.N) + ", giving up"}
	}
	due := last.At.Add(p.backoff(last.N))
	if now.Before(due) {
		return Plan{RetryAt: due}
	}
	return Plan{Create: last.N + 1}
}

func (p Policy) attempts() int {
	if p.Attempts > 0 {
		return p.Attempts
	}
	return DefaultAttempts
}

// backoff is the wait after attempt n failed.
func (p Policy) backoff(n int) time.Duration {
	b := p.Backoff
	if b <= 0 {
		b = DefaultBackoff
	}
	for i := 1; i < n && b < MaxBackoff; i++ {
		b *= 2
	}
	return min(b, MaxBackoff)
}

// times counts attempts: "once", "3 times".
func times(n int) string {
	if n == 1 {
		return "once"
	}
	return strconv.Itoa(n) + " times"
}

// Failing reports whether a reminder's newest finished delivery failed: a
// failure and no success after it. The DeliveryFailing condition, the
// delivery_failing metric and the plugin's views all read it.
func Failing(r v1alpha1.ReminderStatus) bool {
	return r.LastFailureTime != nil && (r.LastSuccessfulTime == nil || r.LastSuccessfulTime.Before(r.LastFailureTime))
}
