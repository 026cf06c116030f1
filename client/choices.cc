#include "client/choices.h"

namespace cpc {

namespace v1 = ::cpctrack::v1;

const ChoiceTable<v1::ScreeningResult>& ScreeningChoices() {
  static const auto* table = new ChoiceTable<v1::ScreeningResult>{
      {"neg", v1::SCREENING_RESULT_NEGATIVE},
      {"pos", v1::SCREENING_RESULT_POSITIVE},
      {"pending", v1::SCREENING_RESULT_PENDING},
  };
  return *table;
}

const ChoiceTable<v1::EquipmentKind>& EquipmentKindChoices() {
  static const auto* table = new ChoiceTable<v1::EquipmentKind>{
      {"incubator", v1::EQUIPMENT_KIND_INCUBATOR},
      {"cabinet", v1::EQUIPMENT_KIND_BIOSAFETY_CABINET},
      {"centrifuge", v1::EQUIPMENT_KIND_CENTRIFUGE},
      {"counter", v1::EQUIPMENT_KIND_CELL_COUNTER},
      {"freezer", v1::EQUIPMENT_KIND_CONTROLLED_RATE_FREEZER},
      {"tank", v1::EQUIPMENT_KIND_STORAGE_TANK},
      {"other", v1::EQUIPMENT_KIND_OTHER},
  };
  return *table;
}

const ChoiceTable<v1::EquipmentStatus>& EquipmentStatusChoices() {
  static const auto* table = new ChoiceTable<v1::EquipmentStatus>{
      {"in-service", v1::EQUIPMENT_STATUS_IN_SERVICE},
      {"out-of-service", v1::EQUIPMENT_STATUS_OUT_OF_SERVICE},
  };
  return *table;
}

const ChoiceTable<v1::BatchState>& BatchStateChoices() {
  static const auto* table = new ChoiceTable<v1::BatchState>{
      {"registered", v1::BATCH_STATE_REGISTERED},
      {"tissue-received", v1::BATCH_STATE_TISSUE_RECEIVED},
      {"in-culture", v1::BATCH_STATE_IN_CULTURE},
      {"quarantined", v1::BATCH_STATE_QUARANTINED},
      {"rejected", v1::BATCH_STATE_REJECTED},
  };
  return *table;
}

const ChoiceTable<v1::CountingMethod>& CountingMethodChoices() {
  static const auto* table = new ChoiceTable<v1::CountingMethod>{
      {"trypan", v1::COUNTING_METHOD_HEMOCYTOMETER_TRYPAN_BLUE},
      {"auto-trypan", v1::COUNTING_METHOD_AUTOMATED_TRYPAN_BLUE},
      {"aopi", v1::COUNTING_METHOD_AUTOMATED_AO_PI},
      {"flow", v1::COUNTING_METHOD_FLOW_CYTOMETRY},
      {"other", v1::COUNTING_METHOD_OTHER},
  };
  return *table;
}

const ChoiceTable<v1::DeviationKind>& DeviationKindChoices() {
  static const auto* table = new ChoiceTable<v1::DeviationKind>{
      {"late processing", v1::DEVIATION_KIND_LATE_PROCESSING},
      {"other", v1::DEVIATION_KIND_OTHER},
  };
  return *table;
}

}  // namespace cpc
