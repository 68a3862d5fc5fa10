namespace SonoSynth;

/// <summary>
/// Bad input from the user (a file, a row, an option). The message names what is wrong, where, and what
/// to do; the CLI prints it without a stack trace and exits with code 2.
/// </summary>
public sealed class InputError(string message, Exception? inner = null) : Exception(message, inner);
