"""PxWeb sources: SCB's PxWebApi 2 and Tillväxtanalys' PxWeb v1."""
