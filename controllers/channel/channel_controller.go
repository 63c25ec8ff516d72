// Package channel reconciles Channels: it checks that the Secret a Channel
// names exists and holds an address the outbound policy allows.
package channel

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/secrets"
	"github.com/momentum-dev/momentum/internal/tenancy"
	"github.com/momentum-dev/momentum/internal/watchdog"
)

// Secrets are deliberately not watched (the manager may only get the
// Secrets Channels name), so Channels look at their Secret again on a timer:
// an unusable one soon, to heal; a usable one less often, so that revoking
// the label or deleting the Secret stops deliveries within that time.
const (
	// SecretRecheck is how soon a Channel that is not Ready looks again.
	SecretRecheck = time.Minute
	// ReadyRecheck is how soon a Ready Channel looks again by default.
	ReadyRecheck = 5 * time.Minute
)

// Reconciler reconciles Channels.
type Reconciler struct {
	Client client.Client
	// Secrets reads Secrets straight from the API server: they are never
	// listed, watched or cached.
	Secrets  client.Reader
	Clock    clock.PassiveClock
	Recorder events.EventRecorder
	Policy   outbound.Policy
	// Watchdog, when set, sees every reconcile (the liveness probe).
	Watchdog *watchdog.Watchdog
	// Exceptions narrows the policy's exceptions to selected namespaces.
	Exceptions tenancy.Exceptions
	// Recheck is how often a Ready Channel re-reads its Secret; 0 means
	// ReadyRecheck.
	Recheck time.Duration
}

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=channels,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=channels/status,verbs=get;patch
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get

// Reconcile checks the Channel's Secret and records whether it can deliver.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	obj := &v1alpha1.Channel{}
	if err := r.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopy()
	now := r.Clock.Now()
	if v1alpha1.DecodeError(obj) != "" {
		return conditions.ReportUndecodable(ctx, r.Client, r.Recorder, "Channel", before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, now)
	}

	v, err := r.check(ctx, obj)
	var out conditions.Outcome
	if err == nil {
		evs, requeue := followUp(v, r.Recheck)
		out = conditions.Outcome{Result: conditions.Result{Ready: v.ready}, Events: evs, RecheckAt: now.Add(requeue)}
	}
	out.Err = err
	return conditions.Finish(ctx, r.Client, r.Recorder, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, out, now)
}

// verdict is what check finds.
type verdict struct {
	ready metav1.Condition
	// deprecated: the Secret is usable only through the legacy label.
	deprecated bool
}

// followUp decides the Events of a reconcile and when the Channel looks at
// its Secret again. Events go out only with a status write
// (conditions.Finish), so a Channel that stays as it was repeats nothing.
func followUp(v verdict, recheck time.Duration) ([]record.Event, time.Duration) {
	if v.ready.Status != metav1.ConditionTrue {
		return []record.Event{{Type: corev1.EventTypeWarning, Reason: v.ready.Reason, Note: v.ready.Message}}, SecretRecheck
	}
	if recheck <= 0 {
		recheck = ReadyRecheck
	}
	if v.deprecated {
		return []record.Event{{Type: corev1.EventTypeWarning, Reason: v1alpha1.EventSecretLabelDeprecated, Note: v.ready.Message}}, recheck
	}
	return nil, recheck
}

// check judges the Secret. Messages name the Secret and the key, never the
// address: it is a secret.
func (r *Reconciler) check(ctx context.Context, obj *v1alpha1.Channel) (verdict, error) {
	name := obj.Spec.SecretRef.Name
	secret := &corev1.Secret{}
	err := r.Secrets.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: name}, secret)
	switch {
	case apierrors.IsNotFound(err):
		return notReady(v1alpha1.ReasonSecretNotFound, fmt.Sprintf(
			"Secret %s named in spec.secretRef not found in namespace %s: create it with the webhook URL under key %q",
			name, obj.Namespace, v1alpha1.SecretKeyAddress)), nil
	case err != nil:
		return verdict{}, fmt.Errorf("reading Secret %s: %w", name, err)
	}
	return judge(secret, r.Exceptions.Policy(ctx, obj.Namespace, r.Policy)), nil
}

// judge decides whether a Channel's Secret may be used, and why not: it is
// labelled for Channels, holds an address the outbound policy allows, and
// its owner lets it go to that host. It reads no API.
func judge(secret *corev1.Secret, policy outbound.Policy) verdict {
	name := secret.Name
	usable := secrets.Usable(name, secret.Labels, v1alpha1.PurposeChannel)
	if usable.Refusal != "" {
		return notReady(v1alpha1.ReasonSecretNotUsable, usable.Refusal)
	}
	address := string(secret.Data[v1alpha1.SecretKeyAddress])
	if address == "" {
		return notReady(v1alpha1.ReasonAddressMissing, fmt.Sprintf(
			"Secret %s has no key %q: put the webhook URL there", name, v1alpha1.SecretKeyAddress))
	}
	if err := policy.ValidateURL(address); err != nil {
		return notReady(v1alpha1.ReasonAddressInvalid, fmt.Sprintf(
			"The address in Secret %s is not allowed: %v", name, err))
	}
	if refusal := secrets.HostAllowed(name, secret.Annotations, outbound.Host(address)); refusal != "" {
		return notReady(v1alpha1.ReasonSecretNotUsable, refusal)
	}
	msg := fmt.Sprintf("Secret %s holds an address the outbound policy allows", name)
	if usable.Deprecated {
		msg += fmt.Sprintf(" (it is usable only through the deprecated label %s=true: label it %s=%s)",
			v1alpha1.LabelUsable, v1alpha1.LabelUsableFor, v1alpha1.PurposeChannel)
	}
	return verdict{ready: conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonChannelReady, msg), deprecated: usable.Deprecated}
}

func notReady(reason, msg string) verdict {
	return verdict{ready: conditions.Ready(metav1.ConditionFalse, reason, msg)}
}

// SetupWithManager watches Channels (and not Secrets, on purpose).
func (r *Reconciler) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	return builder.ControllerManagedBy(mgr).
		For(&v1alpha1.Channel{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		WithOptions(opts).
		Named("channel").
		Complete(r.Watchdog.Wrap("channel", r))
}
