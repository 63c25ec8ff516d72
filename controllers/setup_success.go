package controllers

import (
	"fmt"

	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/momentum-dev/momentum/controllers/commitment"
	"github.com/momentum-dev/momentum/controllers/cultureassessment"
)

// setupSuccess registers the reconcilers of the Success Index and culture
// assessments.
func setupSuccess(mgr manager.Manager, opts Options, ctrlOpts controller.Options) error {
	if err := (&commitment.Reconciler{
		Client:   mgr.GetClient(),
		Clock:    opts.Clock,
		Recorder: mgr.GetEventRecorder("momentum-commitment"),
		Watchdog: opts.Watchdog,
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the Commitment controller: %w", err)
	}
	if err := (&cultureassessment.Reconciler{
		Client:   mgr.GetClient(),
		Clock:    opts.Clock,
		Recorder: mgr.GetEventRecorder("momentum-cultureassessment"),
		Watchdog: opts.Watchdog,
	}).SetupWithManager(mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the CultureAssessment controller: %w", err)
	}
	return nil
}
