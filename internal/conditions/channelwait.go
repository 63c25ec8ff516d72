package conditions

import (
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// ChannelWait is the Ready condition of an object whose deliveries wait for
// Channels that are not Ready, and whether it deserves a Warning: the one
// rule every consumer of a Channel applies. A Channel not checked yet
// (pending) is no fault: ChannelPending, quietly. One checked and not
// Ready is: ChannelNotReady, with a Warning. waiting says what waits for
// the Channel ("anything is scheduled"), held what is done meanwhile ("so
// nothing is scheduled to it"); names are sorted, the first one is the one
// to describe.
func ChannelWait(pending bool, names []string, namespace, waiting, held string) (metav1.Condition, bool) {
	list := strings.Join(names, ", ")
	if pending {
		return Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelPending, fmt.Sprintf(
			"Waiting for Channel %s to be checked before %s to it", list, waiting)), false
	}
	return Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelNotReady, fmt.Sprintf(
		"Channel %s is not Ready, %s: see `kubectl describe channel %s -n %s`", list, held, names[0], namespace)), true
}
