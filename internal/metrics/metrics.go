// Package metrics exports the state of Momentum's objects as Prometheus
// metrics, the way kube-state-metrics does for built-in kinds: at every
// scrape a collector lists Initiatives, LeadingIndicators and
// RecognitionCampaigns from the manager's cache and turns their status into
// gauges. Nothing is recorded in between, so a value always equals what
// status says and a deleted object's series vanish with it.
//
// Labels are bounded: namespace, object names, categories, stage names and
// condition reasons (constants of the controllers). Free text such as
// condition messages or nominee names is never a label.
package metrics

import (
	"context"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// listTimeout bounds a scrape's wait for a cache that is still syncing.
const listTimeout = 10 * time.Second

// Collector is a prometheus.Collector over the objects of one or more readers.
type Collector struct {
	log     logr.Logger
	mu      sync.Mutex
	sources map[*source]struct{}
}

type source struct{ reader client.Reader }

// NewCollector returns a collector over readers; more can be added with AddSource.
func NewCollector(readers ...client.Reader) *Collector {
	c := &Collector{log: logf.Log.WithName("metrics"), sources: map[*source]struct{}{}}
	for _, r := range readers {
		c.AddSource(r)
	}
	return c
}

// AddSource adds a reader whose objects are exported until remove is called.
// The registry is process-wide while managers come and go (tests start one
// per namespace), so each manager adds its cache for as long as it runs.
func (c *Collector) AddSource(r client.Reader) (remove func()) {
	s := &source{reader: r}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sources[s] = struct{}{}
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.sources, s)
	}
}

// Describe sends every metric's descriptor.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range descs {
		ch <- d
	}
}

// Collect lists the objects and sends their metrics.
func (c *Collector) Collect(out chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	c.snapshot(ctx).emit(newSink(out))
}

// objects are the objects of one scrape, listed once and read by every
// family's pass.
type objects struct {
	initiatives []v1alpha1.Initiative
	indicators  []v1alpha1.LeadingIndicator
	campaigns   []v1alpha1.RecognitionCampaign
	assessments []v1alpha1.CultureAssessment
	jobs        map[*batchv1.Job]string
	failed      map[string]bool // by kind: listing it from some reader failed
}

// snapshot lists every exported kind from every source.
func (c *Collector) snapshot(ctx context.Context) *objects {
	c.mu.Lock()
	readers := make([]client.Reader, 0, len(c.sources))
	for s := range c.sources {
		readers = append(readers, s.reader)
	}
	c.mu.Unlock()

	o := &objects{failed: map[string]bool{}}
	o.initiatives = list(ctx, c, o, readers, "Initiative", func() *v1alpha1.InitiativeList { return &v1alpha1.InitiativeList{} },
		func(l *v1alpha1.InitiativeList) []v1alpha1.Initiative { return l.Items })
	o.indicators = list(ctx, c, o, readers, "LeadingIndicator", func() *v1alpha1.LeadingIndicatorList { return &v1alpha1.LeadingIndicatorList{} },
		func(l *v1alpha1.LeadingIndicatorList) []v1alpha1.LeadingIndicator { return l.Items })
	o.campaigns = list(ctx, c, o, readers, "RecognitionCampaign", func() *v1alpha1.RecognitionCampaignList { return &v1alpha1.RecognitionCampaignList{} },
		func(l *v1alpha1.RecognitionCampaignList) []v1alpha1.RecognitionCampaign { return l.Items })
	o.assessments = list(ctx, c, o, readers, "CultureAssessment", func() *v1alpha1.CultureAssessmentList { return &v1alpha1.CultureAssessmentList{} },
		func(l *v1alpha1.CultureAssessmentList) []v1alpha1.CultureAssessment { return l.Items })
	// The cache holds the Jobs labelled as Momentum's, which anyone who may
	// create Jobs can forge: only those an initiative controls are exported.
	jobs := list(ctx, c, o, readers, "Job", func() *batchv1.JobList { return &batchv1.JobList{} },
		func(l *batchv1.JobList) []batchv1.Job { return l.Items })
	o.jobs = celebrationJobs(jobs, o.initiatives)
	return o
}

// emit sends every series of the objects to ch, skipping the kinds whose
// families ch does not want.
func (o *objects) emit(ch *sink) {
	for _, kind := range kinds {
		ch.gauge(listFailed, boolValue(o.failed[kind]), kind)
	}
	for i := 0; i < len(o.initiatives) && ch.wants(initiativeDescs...); i++ {
		collectInitiative(ch, &o.initiatives[i])
		collectSuccess(ch, &o.initiatives[i])
	}
	for i := 0; i < len(o.indicators) && ch.wants(indicatorDescs...); i++ {
		collectIndicator(ch, &o.indicators[i])
	}
	for i := 0; i < len(o.campaigns) && ch.wants(campaignDescs...); i++ {
		collectCampaign(ch, &o.campaigns[i])
	}
	for i := 0; i < len(o.assessments) && ch.wants(assessmentDescs...); i++ {
		collectAssessment(ch, &o.assessments[i])
	}
	if ch.wants(deliveryDescs...) {
		for j, initiative := range o.jobs {
			collectCelebration(ch, j, initiative)
		}
	}
}

// The families each kind's objects have series in.
var (
	deliveryDescs   = []*prometheus.Desc{deliveryLastSuccess, deliveryLastFailure, deliveryFailing}
	indicatorDescs  = []*prometheus.Desc{indicatorValue, indicatorTarget, indicatorHealth, indicatorTrend, indicatorStale, indicatorSourceFailures, indicatorMeasured}
	initiativeDescs = append([]*prometheus.Desc{
		initiativeProgress, initiativeStage, initiativeStageIndex, initiativeStageEntered, initiativeStageExited, initiativeAtRisk, initiativeReady,
		successIndexMean, successCommitments, successParticipation, successReviewsOverdue,
	}, deliveryDescs...)
	campaignDescs   = append([]*prometheus.Desc{campaignNominations, campaignLeadershipShare}, deliveryDescs...)
	assessmentDescs = []*prometheus.Desc{disciplineScore, disciplineTarget, disciplineBreadth, disciplineDepth}
)

// kinds are the kinds a scrape lists, in the order it lists them.
var kinds = []string{"Initiative", "LeadingIndicator", "RecognitionCampaign", "CultureAssessment", "Job"}

// list reads one kind from every reader. Two readers may hold the same object
// (two managers watching one namespace); it is exported once, since the
// registry rejects a scrape with duplicate series. A reader that fails is
// recorded for momentum_metrics_list_failed; the others' objects are still
// exported.
func list[L client.ObjectList, T any, PT interface {
	*T
	client.Object
}](ctx context.Context, c *Collector, o *objects, readers []client.Reader, kind string, newList func() L, items func(L) []T) []T {
	var out []T
	seen := map[client.ObjectKey]bool{}
	failed := false
	for _, r := range readers {
		l := newList()
		// The objects are only read, never modified: skip the cache's deep copy.
		if err := r.List(ctx, l, client.UnsafeDisableDeepCopy); err != nil {
			c.log.Error(err, "Listing for metrics failed", "kind", kind)
			failed = true
			continue
		}
		got := items(l)
		if out == nil {
			// The first reader's items are filtered in place, not copied
			// again (at 10,000 programs a copy is tens of megabytes).
			out = got[:0:len(got)]
		}
		for i := range got {
			it := PT(&got[i])
			if v1alpha1.DecodeError(it) != "" { // its spec is unknown: nothing true to export
				continue
			}
			if key := client.ObjectKeyFromObject(it); !seen[key] {
				seen[key] = true
				out = append(out, got[i])
			}
		}
	}
	o.failed[kind] = failed
	return out
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func unix(t metav1.Time) float64 {
	return float64(t.UnixNano()) / 1e9
}

// defaultCollector holds the caches of the managers running in this
// process (tests start one per namespace).
var defaultCollector = NewCollector()

// Register exports the objects in mgr's cache for as long as mgr runs, on
// the /metrics endpoint Serve sets up (not on controller-runtime's
// registry, whose Gather would hold every series of a scrape at once).
func Register(mgr manager.Manager) error {
	return mgr.Add(&cacheSource{collector: defaultCollector, reader: mgr.GetCache()})
}

// cacheSource adds a manager's cache to the collector while the manager runs.
type cacheSource struct {
	collector *Collector
	reader    client.Reader
}

func (s *cacheSource) Start(ctx context.Context) error {
	remove := s.collector.AddSource(s.reader)
	<-ctx.Done()
	remove()
	return nil
}

// NeedLeaderElection is false: every replica serves metrics, so a standby
// answers scrapes too (the alert rules take the max over replicas).
func (s *cacheSource) NeedLeaderElection() bool { return false }
