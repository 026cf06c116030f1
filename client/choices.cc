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
      {"formulated", v1::BATCH_STATE_FORMULATED},
      {"cryopreserved", v1::BATCH_STATE_CRYOPRESERVED},
      {"released", v1::BATCH_STATE_RELEASED},
      {"rejected", v1::BATCH_STATE_REJECTED},
      {"disposed", v1::BATCH_STATE_DISPOSED},
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
      {"expired material", v1::DEVIATION_KIND_EXPIRED_MATERIAL},
      {"passage limit", v1::DEVIATION_KIND_PASSAGE_LIMIT},
      {"population doubling limit", v1::DEVIATION_KIND_POPULATION_DOUBLING_LIMIT},
      {"patient ineligible", v1::DEVIATION_KIND_PATIENT_INELIGIBLE},
      {"out of specification", v1::DEVIATION_KIND_OUT_OF_SPECIFICATION},
      {"positive test", v1::DEVIATION_KIND_POSITIVE_TEST},
      {"excursion", v1::DEVIATION_KIND_EXCURSION},
  };
  return *table;
}

const ChoiceTable<v1::Disposition>& DispositionChoices() {
  static const auto* table = new ChoiceTable<v1::Disposition>{
      {"continue", v1::DISPOSITION_CONTINUE},
      {"reject", v1::DISPOSITION_REJECT},
      {"physician", v1::DISPOSITION_USE_UNDER_PHYSICIAN_RESPONSIBILITY},
  };
  return *table;
}

const ChoiceTable<v1::SamplePoint>& SamplePointChoices() {
  static const auto* table = new ChoiceTable<v1::SamplePoint>{
      {"after-isolation", v1::SAMPLE_POINT_AFTER_ISOLATION},
      {"passage", v1::SAMPLE_POINT_PASSAGE},
      {"final-harvest", v1::SAMPLE_POINT_FINAL_HARVEST},
      {"final-product", v1::SAMPLE_POINT_FINAL_PRODUCT},
      {"post-thaw", v1::SAMPLE_POINT_POST_THAW},
      {"other", v1::SAMPLE_POINT_OTHER},
  };
  return *table;
}

const ChoiceTable<v1::QcTestType>& QcTestTypeChoices() {
  static const auto* table = new ChoiceTable<v1::QcTestType>{
      {"sterility", v1::QC_TEST_TYPE_STERILITY},
      {"mycoplasma", v1::QC_TEST_TYPE_MYCOPLASMA},
      {"endotoxin", v1::QC_TEST_TYPE_ENDOTOXIN},
      {"gram", v1::QC_TEST_TYPE_GRAM_STAIN},
      {"flow", v1::QC_TEST_TYPE_FLOW_CYTOMETRY},
      {"viability", v1::QC_TEST_TYPE_VIABILITY},
  };
  return *table;
}

const ChoiceTable<v1::QcTestState>& QcTestStateChoices() {
  static const auto* table = new ChoiceTable<v1::QcTestState>{
      {"pending", v1::QC_TEST_STATE_PENDING},
      {"resulted", v1::QC_TEST_STATE_RESULTED},
      {"reviewed", v1::QC_TEST_STATE_REVIEWED},
      {"invalidated", v1::QC_TEST_STATE_INVALIDATED},
  };
  return *table;
}

const ChoiceTable<v1::GramFinding>& GramFindingChoices() {
  static const auto* table = new ChoiceTable<v1::GramFinding>{
      {"none", v1::GRAM_FINDING_NO_ORGANISMS_SEEN},
      {"seen", v1::GRAM_FINDING_ORGANISMS_SEEN},
  };
  return *table;
}

const ChoiceTable<v1::UnitKind>& UnitKindChoices() {
  static const auto* table = new ChoiceTable<v1::UnitKind>{
      {"vial", v1::UNIT_KIND_VIAL},
      {"bag", v1::UNIT_KIND_BAG},
  };
  return *table;
}

const ChoiceTable<v1::UnitState>& UnitStateChoices() {
  static const auto* table = new ChoiceTable<v1::UnitState>{
      {"stored", v1::UNIT_STATE_STORED},
      {"thawed", v1::UNIT_STATE_THAWED},
      {"infused", v1::UNIT_STATE_INFUSED},
      {"disposed", v1::UNIT_STATE_DISPOSED},
      {"quarantined", v1::UNIT_STATE_QUARANTINED},
  };
  return *table;
}

const ChoiceTable<v1::UnitEventKind>& UnitEventKindChoices() {
  static const auto* table = new ChoiceTable<v1::UnitEventKind>{
      {"frozen", v1::UNIT_EVENT_KIND_FROZEN},
      {"moved", v1::UNIT_EVENT_KIND_MOVED},
      {"thawed", v1::UNIT_EVENT_KIND_THAWED},
      {"disposed", v1::UNIT_EVENT_KIND_DISPOSED},
      {"quarantined", v1::UNIT_EVENT_KIND_QUARANTINED},
      {"quarantine lifted", v1::UNIT_EVENT_KIND_QUARANTINE_LIFTED},
      {"infused", v1::UNIT_EVENT_KIND_INFUSED},
      {"formulated", v1::UNIT_EVENT_KIND_FORMULATED},
  };
  return *table;
}

const ChoiceTable<v1::TemperatureClass>& TemperatureClassChoices() {
  static const auto* table = new ChoiceTable<v1::TemperatureClass>{
      {"ln2-vapour", v1::TEMPERATURE_CLASS_LN2_VAPOUR},
      {"ln2-liquid", v1::TEMPERATURE_CLASS_LN2_LIQUID},
      {"ultra-low", v1::TEMPERATURE_CLASS_ULTRA_LOW},
      {"refrigerated", v1::TEMPERATURE_CLASS_REFRIGERATED},
  };
  return *table;
}

const ChoiceTable<v1::Role>& RoleChoices() {
  static const auto* table = new ChoiceTable<v1::Role>{
      {"technician", v1::ROLE_TECHNICIAN},   {"reviewer", v1::ROLE_REVIEWER},
      {"scheduler", v1::ROLE_SCHEDULER},     {"auditor", v1::ROLE_AUDITOR},
      {"administrator", v1::ROLE_ADMINISTRATOR},
      {"physician", v1::ROLE_PHYSICIAN},
  };
  return *table;
}

// The words domain::ProcedureName uses.
const ChoiceTable<v1::Procedure>& ProcedureChoices() {
  static const auto* table = new ChoiceTable<v1::Procedure>{
      {"aseptic-processing", v1::PROCEDURE_ASEPTIC_PROCESSING},
      {"passage", v1::PROCEDURE_PASSAGE},
      {"freezing", v1::PROCEDURE_FREEZING},
      {"qc-testing", v1::PROCEDURE_QC_TESTING},
      {"infusion", v1::PROCEDURE_INFUSION},
  };
  return *table;
}

}  // namespace cpc
