// Package refs reads the Initiative an object names in spec.initiativeRef,
// and says, in one wording, when it does not exist. Every kind that belongs
// to an initiative (LeadingIndicator, RecognitionCampaign, Commitment,
// CultureAssessment) watches Initiatives, so a missing one is not Stalled:
// it heals as soon as the initiative appears.
package refs

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
)

// Initiative reads the named initiative (from the cache); nil when it does
// not exist.
func Initiative(ctx context.Context, c client.Reader, namespace, name string) (*v1alpha1.Initiative, error) {
	it := &v1alpha1.Initiative{}
	err := c.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, it)
	switch {
	case apierrors.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading Initiative %s: %w", name, err)
	}
	return it, nil
}

// InitiativeNotFound is the Ready condition of an object whose
// spec.initiativeRef names no initiative in its namespace; meanwhile, when
// set, says what waits for it, e.g. "the spotlight CronJob is suspended
// until then".
func InitiativeNotFound(namespace, name, meanwhile string) metav1.Condition {
	msg := fmt.Sprintf("Initiative %s named in spec.initiativeRef not found in namespace %s: create it or fix spec.initiativeRef", name, namespace)
	if meanwhile != "" {
		msg += " (" + meanwhile + ")"
	}
	return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonInitiativeNotFound, msg)
}
