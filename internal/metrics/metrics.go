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
	"slices"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/stages"
)

// Labels every object's metrics carry.
const (
	labelNamespace  = "namespace"
	labelInitiative = "initiative"
)

var (
	indicatorLabels  = []string{labelNamespace, labelInitiative, "indicator", "category"}
	initiativeLabels = []string{labelNamespace, labelInitiative}
	deliveryLabels   = []string{labelNamespace, labelInitiative, "kind", "name"}
	campaignLabels   = []string{labelNamespace, "campaign", labelInitiative}
)

func with(base []string, extra ...string) []string {
	return append(slices.Clone(base), extra...)
}

var (
	indicatorValue = newDesc("momentum_indicator_value",
		"Newest measured value of a LeadingIndicator (status.value); absent before the first measurement.",
		indicatorLabels, nil)
	indicatorTarget = newDesc("momentum_indicator_target",
		"Target of a LeadingIndicator (spec.target.value).",
		indicatorLabels, nil)
	indicatorHealth = newDesc("momentum_indicator_health",
		"1 for the LeadingIndicator's current health (status.health), 0 for the other healths; not yet measured counts as Unknown.",
		with(indicatorLabels, "health"), nil)
	indicatorTrend = newDesc("momentum_indicator_trend",
		"1 for the LeadingIndicator's current trend (status.trend), 0 for the other trends; not yet measured counts as Unknown.",
		with(indicatorLabels, "trend"), nil)
	indicatorStale = newDesc("momentum_indicator_stale",
		"1 when the LeadingIndicator's newest sample is older than spec.freshness (status.freshness is Stale), else 0.",
		indicatorLabels, nil)
	indicatorSourceFailures = newDesc("momentum_indicator_source_failures",
		"Failed measurements of the LeadingIndicator's live source since its last success (status.consecutiveFailures).",
		indicatorLabels, nil)
	indicatorMeasured = newDesc("momentum_indicator_measured_timestamp_seconds",
		"When the LeadingIndicator's newest value was measured (status.measuredAt), as a Unix time.",
		indicatorLabels, nil)

	initiativeProgress = newDesc("momentum_initiative_progress",
		"Share (0-100) of all stages' exit criteria that are met (status.progress).",
		initiativeLabels, nil)
	initiativeStage = newDesc("momentum_initiative_stage",
		"1 for the Initiative's current stage (status.stage), 0 for its other stages (spec.stages or the four defaults).",
		with(initiativeLabels, "stage"), nil)
	initiativeStageIndex = newDesc("momentum_initiative_stage_index",
		"0-based position of the current stage in spec.stages (or the four default stages); absent when the stage is not among them.",
		initiativeLabels, nil)
	initiativeStageEntered = newDesc("momentum_initiative_stage_entered_timestamp_seconds",
		"When the Initiative last entered each stage of status.history, as a Unix time.",
		with(initiativeLabels, "stage"), nil)
	initiativeStageExited = newDesc("momentum_initiative_stage_exited_timestamp_seconds",
		"When the Initiative left each stage of status.history, as a Unix time; absent for the current stage.",
		with(initiativeLabels, "stage"), nil)
	initiativeAtRisk = newDesc("momentum_initiative_at_risk",
		"1 when the MomentumAtRisk condition is True, else 0; reason is the condition's reason (OnTrack when not at risk).",
		with(initiativeLabels, "reason"), nil)
	initiativeReady = newDesc("momentum_initiative_ready",
		"1 when the Initiative's Ready condition is True, else 0.",
		initiativeLabels, nil)

	deliveryLastSuccess = newDesc("momentum_delivery_last_success_timestamp_seconds",
		"When a delivery last succeeded, as a Unix time: kind=reminder for an Initiative's reminders, kind=spotlight for a RecognitionCampaign's spotlights, kind=celebration for a quick win's one-off Job.",
		deliveryLabels, nil)
	deliveryLastFailure = newDesc("momentum_delivery_last_failure_timestamp_seconds",
		"When a delivery last failed, as a Unix time.",
		deliveryLabels, nil)
	deliveryFailing = newDesc("momentum_delivery_failing",
		"1 when the newest finished delivery failed (for reminders, the last failure is after the last success), else 0.",
		deliveryLabels, nil)

	campaignNominations = newDesc("momentum_campaign_nominations",
		"Nominations of a RecognitionCampaign by state: spotlighted (published), pending (due in the next spotlight) or rejected (not qualifying).",
		with(campaignLabels, "state"), nil)
	campaignLeadershipShare = newDesc("momentum_campaign_leadership_share",
		"Share (0-100) of qualifying nominations made by a sponsor or council member (status.leadershipShare); absent without qualifying nominations.",
		campaignLabels, nil)

	listFailed = newDesc("momentum_metrics_list_failed",
		"1 when listing objects of kind from the cache failed during this scrape (their metrics are missing), else 0.",
		[]string{"kind"}, nil)
)

// descs are every metric the collector exports.
var descs = []*prometheus.Desc{
	indicatorValue, indicatorTarget, indicatorHealth, indicatorTrend, indicatorStale, indicatorSourceFailures, indicatorMeasured,
	initiativeProgress, initiativeStage, initiativeStageIndex, initiativeStageEntered, initiativeStageExited, initiativeAtRisk, initiativeReady,
	deliveryLastSuccess, deliveryLastFailure, deliveryFailing,
	campaignNominations, campaignLeadershipShare,
	listFailed,
}

// Names lists the exported metric names, for checks of dashboards and rules.
func Names() []string {
	return append([]string{
		"momentum_indicator_value", "momentum_indicator_target", "momentum_indicator_health", "momentum_indicator_trend",
		"momentum_indicator_stale", "momentum_indicator_source_failures", "momentum_indicator_measured_timestamp_seconds",
		"momentum_initiative_progress", "momentum_initiative_stage", "momentum_initiative_stage_index",
		"momentum_initiative_stage_entered_timestamp_seconds", "momentum_initiative_stage_exited_timestamp_seconds",
		"momentum_initiative_at_risk", "momentum_initiative_ready",
		"momentum_delivery_last_success_timestamp_seconds", "momentum_delivery_last_failure_timestamp_seconds", "momentum_delivery_failing",
		"momentum_campaign_nominations", "momentum_campaign_leadership_share",
		"momentum_metrics_list_failed",
	}, successNames...)
}

var (
	healths = []v1alpha1.Health{v1alpha1.HealthOnTarget, v1alpha1.HealthAtRisk, v1alpha1.HealthOffTarget, v1alpha1.HealthUnknown}
	trends  = []v1alpha1.Trend{v1alpha1.TrendImproving, v1alpha1.TrendSteady, v1alpha1.TrendDeclining, v1alpha1.TrendUnknown}
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
	ch := newSink(out)
	c.mu.Lock()
	readers := make([]client.Reader, 0, len(c.sources))
	for s := range c.sources {
		readers = append(readers, s.reader)
	}
	c.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	initiatives := list(ctx, c, ch, readers, "Initiative", func() *v1alpha1.InitiativeList { return &v1alpha1.InitiativeList{} },
		func(l *v1alpha1.InitiativeList) []v1alpha1.Initiative { return l.Items })
	for i := range initiatives {
		collectInitiative(ch, &initiatives[i])
		collectSuccess(ch, &initiatives[i])
	}
	indicators := list(ctx, c, ch, readers, "LeadingIndicator", func() *v1alpha1.LeadingIndicatorList { return &v1alpha1.LeadingIndicatorList{} },
		func(l *v1alpha1.LeadingIndicatorList) []v1alpha1.LeadingIndicator { return l.Items })
	for i := range indicators {
		collectIndicator(ch, &indicators[i])
	}
	campaigns := list(ctx, c, ch, readers, "RecognitionCampaign", func() *v1alpha1.RecognitionCampaignList { return &v1alpha1.RecognitionCampaignList{} },
		func(l *v1alpha1.RecognitionCampaignList) []v1alpha1.RecognitionCampaign { return l.Items })
	for i := range campaigns {
		collectCampaign(ch, &campaigns[i])
	}
	assessments := list(ctx, c, ch, readers, "CultureAssessment", func() *v1alpha1.CultureAssessmentList { return &v1alpha1.CultureAssessmentList{} },
		func(l *v1alpha1.CultureAssessmentList) []v1alpha1.CultureAssessment { return l.Items })
	for i := range assessments {
		collectAssessment(ch, &assessments[i])
	}
	// The cache holds the Jobs labelled as Momentum's, which anyone who may
	// create Jobs can forge: only those an initiative controls are exported.
	jobs := list(ctx, c, ch, readers, "Job", func() *batchv1.JobList { return &batchv1.JobList{} },
		func(l *batchv1.JobList) []batchv1.Job { return l.Items })
	for j, initiative := range celebrationJobs(jobs, initiatives) {
		collectCelebration(ch, j, initiative)
	}
}

// celebrationJobs picks the celebration Jobs to export, with the initiative
// each belongs to: only Jobs whose controller is an initiative in the cache,
// in the same namespace (a Job labelled by anyone else is not Momentum's),
// named after that initiative (not the name written in the owner
// reference), with a win key of bounded length, and at most one per
// initiative and win, since one duplicate series would fail the whole scrape.
func celebrationJobs(jobs []batchv1.Job, initiatives []v1alpha1.Initiative) map[*batchv1.Job]string {
	owners := make(map[types.UID]*v1alpha1.Initiative, len(initiatives))
	for i := range initiatives {
		owners[initiatives[i].UID] = &initiatives[i]
	}
	out := map[*batchv1.Job]string{}
	seen := map[[3]string]bool{}
	for i := range jobs {
		j := &jobs[i]
		ref := metav1.GetControllerOf(j)
		if j.Labels[cronjobs.LabelCelebration] != "true" || ref == nil || ref.Kind != "Initiative" || ref.APIVersion != v1alpha1.GroupVersion.String() {
			continue
		}
		owner, win := owners[ref.UID], j.Annotations[cronjobs.AnnotationWin]
		if owner == nil || owner.Namespace != j.Namespace || win == "" || len(win) > maxWinLength {
			continue
		}
		key := [3]string{j.Namespace, owner.Name, win}
		if !seen[key] {
			seen[key] = true
			out[j] = owner.Name
		}
	}
	return out
}

// maxWinLength bounds the win key a celebration series is labelled with.
const maxWinLength = 253

// collectCelebration exports the outcome of a celebration Job (kind
// "celebration", name the win it posts). Finished Jobs are removed after a
// week, and their series with them.
func collectCelebration(ch *sink, j *batchv1.Job, initiative string) {
	labels := []string{j.Namespace, initiative, "celebration", j.Annotations[cronjobs.AnnotationWin]}
	failed := false
	for _, c := range j.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete:
			ch.gauge(deliveryLastSuccess, unix(c.LastTransitionTime), labels...)
		case batchv1.JobFailed:
			failed = true
			ch.gauge(deliveryLastFailure, unix(c.LastTransitionTime), labels...)
		}
	}
	ch.gauge(deliveryFailing, boolValue(failed), labels...)
}

// list reads one kind from every reader. Two readers may hold the same object
// (two managers watching one namespace); it is exported once, since the
// registry rejects a scrape with duplicate series. A reader that fails is
// reported in momentum_metrics_list_failed; the others' objects are still
// exported.
func list[L client.ObjectList, T any, PT interface {
	*T
	client.Object
}](ctx context.Context, c *Collector, ch *sink, readers []client.Reader, kind string, newList func() L, items func(L) []T) []T {
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
	ch.gauge(listFailed, boolValue(failed), kind)
	return out
}

func collectIndicator(ch *sink, li *v1alpha1.LeadingIndicator) {
	lv := []string{li.Namespace, li.Spec.InitiativeRef.Name, li.Name, string(li.Spec.Category)}
	st := li.Status
	if st.Value != nil {
		ch.gauge(indicatorValue, st.Value.Float64(), lv...)
	}
	ch.gauge(indicatorTarget, li.Spec.Target.Value.Float64(), lv...)
	health := st.Health
	if health == "" {
		health = v1alpha1.HealthUnknown
	}
	for _, h := range healths {
		ch.gauge(indicatorHealth, boolValue(h == health), with(lv, string(h))...)
	}
	trend := st.Trend
	if trend == "" {
		trend = v1alpha1.TrendUnknown
	}
	for _, t := range trends {
		ch.gauge(indicatorTrend, boolValue(t == trend), with(lv, string(t))...)
	}
	ch.gauge(indicatorStale, boolValue(st.Freshness == v1alpha1.Stale), lv...)
	ch.gauge(indicatorSourceFailures, float64(st.ConsecutiveFailures), lv...)
	if st.MeasuredAt != nil {
		ch.gauge(indicatorMeasured, unix(*st.MeasuredAt), lv...)
	}
}

func collectInitiative(ch *sink, in *v1alpha1.Initiative) {
	lv := []string{in.Namespace, in.Name}
	st := in.Status
	if st.Progress != nil {
		ch.gauge(initiativeProgress, float64(*st.Progress), lv...)
	}

	all := stages.Resolve(in.Spec)
	current := -1
	for i, s := range all {
		if s.Name == st.Stage {
			current = i
		}
		ch.gauge(initiativeStage, boolValue(i == current), with(lv, s.Name)...)
	}
	switch {
	case current >= 0:
		ch.gauge(initiativeStageIndex, float64(current), lv...)
	case st.Stage != "":
		// A stage removed from spec.stages is still where the initiative is.
		ch.gauge(initiativeStage, 1, with(lv, st.Stage)...)
	}

	// A stage entered more than once appears once, with its latest visit;
	// history is oldest first.
	latest := map[string]v1alpha1.StageRecord{}
	for _, r := range st.History {
		latest[r.Name] = r
	}
	for name, r := range latest {
		ch.gauge(initiativeStageEntered, unix(r.EnteredAt), with(lv, name)...)
		if r.ExitedAt != nil {
			ch.gauge(initiativeStageExited, unix(*r.ExitedAt), with(lv, name)...)
		}
	}

	if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionMomentumAtRisk); c != nil {
		ch.gauge(initiativeAtRisk, boolValue(c.Status == metav1.ConditionTrue), with(lv, c.Reason)...)
	}
	ch.gauge(initiativeReady, boolValue(meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionReady)), lv...)

	for _, r := range st.Reminders {
		dv := []string{in.Namespace, in.Name, "reminder", r.Name}
		if r.LastSuccessfulTime != nil {
			ch.gauge(deliveryLastSuccess, unix(*r.LastSuccessfulTime), dv...)
		}
		if r.LastFailureTime != nil {
			ch.gauge(deliveryLastFailure, unix(*r.LastFailureTime), dv...)
		}
		// The same rule as the DeliveryFailing condition.
		failing := r.LastFailureTime != nil && (r.LastSuccessfulTime == nil || r.LastSuccessfulTime.Before(r.LastFailureTime))
		ch.gauge(deliveryFailing, boolValue(failing), dv...)
	}
	if st.Celebrations != nil {
		// A celebration given up (bounded: the newest 10) stays failing.
		for _, win := range st.Celebrations.Failed {
			ch.gauge(deliveryFailing, 1, in.Namespace, in.Name, "celebration", win)
		}
	}
}

func collectCampaign(ch *sink, rc *v1alpha1.RecognitionCampaign) {
	lv := []string{rc.Namespace, rc.Name, rc.Spec.InitiativeRef.Name}
	st := rc.Status
	// Counts are written together once the campaign's initiative is found;
	// before that there is nothing to count.
	if st.Spotlighted != nil && st.Pending != nil {
		ch.gauge(campaignNominations, float64(*st.Spotlighted), with(lv, "spotlighted")...)
		ch.gauge(campaignNominations, float64(*st.Pending), with(lv, "pending")...)
		ch.gauge(campaignNominations, float64(len(st.Rejected)), with(lv, "rejected")...)
	}
	if st.LeadershipShare != nil {
		ch.gauge(campaignLeadershipShare, float64(*st.LeadershipShare), lv...)
	}
	// Spotlights report no failure time: a failed one stays pending.
	if st.LastPublicationTime != nil {
		ch.gauge(deliveryLastSuccess, unix(*st.LastPublicationTime), rc.Namespace, rc.Spec.InitiativeRef.Name, "spotlight", rc.Name)
	}
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

var (
	defaultCollector = NewCollector()
	registerOnce     sync.Once
	errRegister      error
)

// Register exports the objects in mgr's cache on controller-runtime's
// registry, which the manager's metrics endpoint serves, for as long as mgr
// runs.
func Register(mgr manager.Manager) error {
	registerOnce.Do(func() { errRegister = ctrlmetrics.Registry.Register(defaultCollector) })
	if errRegister != nil {
		return errRegister
	}
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
