package ome

import (
	"strings"

	"github.com/ocular-lab/ocular/core/formats"
)

// kvs builds an ordered key/value list, skipping empty values.
type kvs []formats.KeyValue

func (k *kvs) add(key, value string) {
	if value = strings.TrimSpace(value); value != "" {
		*k = append(*k, formats.KeyValue{Key: key, Value: value})
	}
}

func (k *kvs) manuf(m xManufSpec) {
	k.add("Manufacturer", m.Manufacturer)
	k.add("Model", m.Model)
	k.add("Serial number", m.SerialNumber)
	k.add("Lot number", m.LotNumber)
}

// acquisition collects the instrument metadata shown in the Acquisition tab:
// microscope, the objective in use (ObjectiveSettings, else the only one),
// detectors, light sources and filters.
func acquisition(inst *xInstrument, os *xObjectiveSetting) *formats.Acquisition {
	if inst == nil && os == nil {
		return nil
	}
	a := &formats.Acquisition{}
	if inst == nil {
		inst = &xInstrument{}
	}
	if m := inst.Microscope; m != nil {
		var k kvs
		k.add("Type", m.Type)
		k.manuf(m.xManufSpec)
		a.Microscope = k
	}
	var obj *xObjective
	if os != nil {
		for i := range inst.Objectives {
			if inst.Objectives[i].ID == os.ID {
				obj = &inst.Objectives[i]
			}
		}
	}
	if obj == nil && len(inst.Objectives) == 1 {
		obj = &inst.Objectives[0]
	}
	var k kvs
	if obj != nil {
		k.manuf(obj.xManufSpec)
		k.add("Nominal magnification", obj.NominalMagnification)
		k.add("Calibrated magnification", obj.CalibratedMagnification)
		k.add("Lens NA", obj.LensNA)
		k.add("Immersion", obj.Immersion)
		k.add("Correction", obj.Correction)
		k.add("Working distance", withUnit(obj.WorkingDistance, obj.WorkingDistanceUnit, "µm"))
		k.add("Iris", obj.Iris)
	}
	if os != nil {
		k.add("Correction collar", os.CorrectionCollar)
		k.add("Medium", os.Medium)
		k.add("Refractive index", os.RefractiveIndex)
	}
	a.Objective = k
	for _, d := range inst.Detectors {
		var k kvs
		k.add("ID", d.ID)
		k.add("Type", d.Type)
		k.manuf(d.xManufSpec)
		k.add("Gain", d.Gain)
		k.add("Offset", d.Offset)
		k.add("Zoom", d.Zoom)
		k.add("Voltage", withUnit(d.Voltage, d.VoltageUnit, "V"))
		k.add("Amplification gain", d.AmplGain)
		a.Detectors = append(a.Detectors, k)
	}
	for _, l := range lights(inst) {
		var k kvs
		k.add("ID", l.ID)
		k.add("Kind", lightKind(l.XMLName.Local))
		k.add("Type", l.Type)
		k.manuf(l.xManufSpec)
		k.add("Laser medium", l.LaserMedium)
		k.add("Wavelength", withUnit(l.Wavelength, l.WavelengthUnit, "nm"))
		k.add("Power", withUnit(l.Power, l.PowerUnit, "mW"))
		k.add("Repetition rate", withUnit(l.RepetitionRate, l.RepetitionRateUnit, "Hz"))
		a.LightSource = append(a.LightSource, k)
	}
	for _, f := range inst.Filters {
		var k kvs
		k.add("ID", f.ID)
		k.add("Type", f.Type)
		k.manuf(f.xManufSpec)
		k.add("Filter wheel", f.FilterWheel)
		if t := f.Transmission; t != nil {
			k.add("Cut in", withUnit(t.CutIn, t.CutInUnit, "nm"))
			k.add("Cut out", withUnit(t.CutOut, t.CutOutUnit, "nm"))
			k.add("Transmittance", t.Transmittance)
		}
		a.Filters = append(a.Filters, k)
	}
	for _, f := range inst.Dichroics {
		var k kvs
		k.add("ID", f.ID)
		k.add("Type", "Dichroic")
		k.manuf(f)
		a.Filters = append(a.Filters, k)
	}
	return a
}

func lights(inst *xInstrument) []xLight {
	var out []xLight
	for _, group := range [][]xLight{inst.Lasers, inst.Arcs, inst.Filaments, inst.LEDs, inst.GenericLS} {
		out = append(out, group...)
	}
	return out
}

func lightKind(element string) string {
	switch element {
	case "LightEmittingDiode":
		return "LED"
	case "GenericExcitationSource":
		return "Generic"
	}
	return element
}

func describeDetector(inst *xInstrument, id string) string {
	if inst != nil {
		for _, d := range inst.Detectors {
			if d.ID == id {
				if s := strings.TrimSpace(d.Manufacturer + " " + d.Model); s != "" {
					return s + " (" + id + ")"
				}
			}
		}
	}
	return id
}

func describeLight(inst *xInstrument, id string) string {
	if inst != nil {
		for _, l := range lights(inst) {
			if l.ID == id {
				s := strings.TrimSpace(lightKind(l.XMLName.Local) + " " + l.Manufacturer + " " + l.Model)
				if l.Wavelength != "" {
					s += " " + withUnit(l.Wavelength, l.WavelengthUnit, "nm")
				}
				return s + " (" + id + ")"
			}
		}
	}
	return id
}
