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
	"github.com/momentum-dev/momentum/internal/watchdog"
)

// secretRecheck is how soon a Channel whose Secret is missing or unusable
// looks again. Secrets are deliberately not watched (the manager may only
// get the Secrets Channels name), so this bounded re-check is how it heals.
const secretRecheck = time.Minute

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

	ready, err := r.check(ctx, obj)
	wrote, conflict, perr := conditions.Write(ctx, r.Client, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration,
		conditions.Result{Ready: ready, Err: err}, now)
	if conflict {
		return reconcile.Result{RequeueAfter: conditions.ConflictRetry}, nil
	}
	if perr != nil {
		return reconcile.Result{}, perr
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if wrote && ready.Status == metav1.ConditionFalse {
		record.Emit(r.Recorder, obj, []record.Event{{Type: corev1.EventTypeWarning, Reason: ready.Reason, Note: ready.Message}})
	}
	if ready.Status == metav1.ConditionFalse {
		return reconcile.Result{RequeueAfter: secretRecheck}, nil
	}
	return reconcile.Result{}, nil
}

// check judges the Secret. Messages name the Secret and the key, never the
// address: it is a secret.
func (r *Reconciler) check(ctx context.Context, obj *v1alpha1.Channel) (metav1.Condition, error) {
	name := obj.Spec.SecretRef.Name
	secret := &corev1.Secret{}
	err := r.Secrets.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: name}, secret)
	switch {
	case apierrors.IsNotFound(err):
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonSecretNotFound, fmt.Sprintf(
			"Secret %s named in spec.secretRef not found in namespace %s: create it with the webhook URL under key %q",
			name, obj.Namespace, v1alpha1.SecretKeyAddress)), nil
	case err != nil:
		return metav1.Condition{}, fmt.Errorf("reading Secret %s: %w", name, err)
	}
	if secret.Labels[v1alpha1.LabelUsable] != "true" {
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonSecretNotUsable, fmt.Sprintf(
			"Secret %s is not labelled %s=true: label it to let Momentum deliver with it (its owner opts in, so a Channel cannot send someone else's Secret)",
			name, v1alpha1.LabelUsable)), nil
	}
	address := string(secret.Data[v1alpha1.SecretKeyAddress])
	if address == "" {
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonAddressMissing, fmt.Sprintf(
			"Secret %s has no key %q: put the webhook URL there", name, v1alpha1.SecretKeyAddress)), nil
	}
	if err := r.Policy.ValidateURL(address); err != nil {
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonAddressInvalid, fmt.Sprintf(
			"The address in Secret %s is not allowed: %v", name, err)), nil
	}
	return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonChannelReady, fmt.Sprintf(
		"Secret %s holds an address the outbound policy allows", name)), nil
}

// SetupWithManager watches Channels (and not Secrets, on purpose).
func (r *Reconciler) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	return builder.ControllerManagedBy(mgr).
		For(&v1alpha1.Channel{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		WithOptions(opts).
		Named("channel").
		Complete(r.Watchdog.Wrap("channel", r))
}
