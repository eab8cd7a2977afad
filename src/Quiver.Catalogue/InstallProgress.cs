namespace Quiver.Catalogue;

/// <summary>A step of an installation, for progress display.</summary>
public readonly record struct InstallProgress(string Stage, double? Fraction = null);
