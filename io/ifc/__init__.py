"""IFC family: IFC2x3 / IFC4 / IFC4x3 (.ifc, .ifczip, .ifcxml) through IfcOpenShell in a worker process."""
