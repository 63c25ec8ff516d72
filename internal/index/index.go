// Package index defines the cache field indexes the controllers look up by,
// so that an event on one object finds the objects that depend on it without
// listing a whole namespace.
package index

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/stages"
)

const (
	// IndicatorByInitiative indexes LeadingIndicators by spec.initiativeRef.name.
	IndicatorByInitiative = "spec.initiativeRef.name"
	// InitiativeByGateIndicator indexes Initiatives by the indicators their
	// gates name, in any stage.
	InitiativeByGateIndicator = "spec.stages.exitCriteria.indicators.name"
	// IndicatorByCampaign indexes LeadingIndicators by the RecognitionCampaign
	// their recognition source derives from.
	IndicatorByCampaign = "spec.source.recognition.campaignRef.name"
	// InitiativeByChannel indexes Initiatives by the Channels their reminders name.
	InitiativeByChannel = "spec.reminders.channel"
	// CampaignByInitiative indexes RecognitionCampaigns by spec.initiativeRef.name.
	CampaignByInitiative = "spec.initiativeRef.name"
	// CampaignByChannel indexes RecognitionCampaigns by spec.channel.
	CampaignByChannel = "spec.channel"
)

// Register adds the indexes to the manager's cache.
func Register(ctx context.Context, indexer client.FieldIndexer) error {
	if err := indexer.IndexField(ctx, &v1alpha1.LeadingIndicator{}, IndicatorByCampaign, func(o client.Object) []string {
		if src := o.(*v1alpha1.LeadingIndicator).Spec.Source; src != nil && src.Recognition != nil {
			return []string{src.Recognition.CampaignRef.Name}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := indexer.IndexField(ctx, &v1alpha1.LeadingIndicator{}, IndicatorByInitiative, func(o client.Object) []string {
		return []string{o.(*v1alpha1.LeadingIndicator).Spec.InitiativeRef.Name}
	}); err != nil {
		return err
	}
	if err := indexer.IndexField(ctx, &v1alpha1.Initiative{}, InitiativeByGateIndicator, func(o client.Object) []string {
		return stages.IndicatorNames(o.(*v1alpha1.Initiative).Spec)
	}); err != nil {
		return err
	}
	if err := indexer.IndexField(ctx, &v1alpha1.Initiative{}, InitiativeByChannel, func(o client.Object) []string {
		spec := o.(*v1alpha1.Initiative).Spec
		names := make([]string, 0, len(spec.Reminders)+1)
		for _, r := range spec.Reminders {
			names = append(names, r.Channel)
		}
		if spec.Celebrations != nil {
			names = append(names, spec.Celebrations.Channel)
		}
		if spec.ReviewReminder != nil {
			names = append(names, spec.ReviewReminder.Channel)
		}
		return names
	}); err != nil {
		return err
	}
	if err := indexer.IndexField(ctx, &v1alpha1.RecognitionCampaign{}, CampaignByInitiative, func(o client.Object) []string {
		return []string{o.(*v1alpha1.RecognitionCampaign).Spec.InitiativeRef.Name}
	}); err != nil {
		return err
	}
	return indexer.IndexField(ctx, &v1alpha1.RecognitionCampaign{}, CampaignByChannel, func(o client.Object) []string {
		return []string{o.(*v1alpha1.RecognitionCampaign).Spec.Channel}
	})
}
