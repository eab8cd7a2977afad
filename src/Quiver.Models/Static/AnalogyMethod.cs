namespace Quiver.Models.Static;

/// <summary>How an analogy a:b :: c:? is solved.</summary>
public enum AnalogyMethod
{
    /// <summary>3CosAdd: argmax cos(d, b − a + c) (Mikolov et al., 2013).</summary>
    CosAdd,

    /// <summary>3CosMul: argmax cos'(d,b)·cos'(d,c) / (cos'(d,a) + 0.001) (Levy and Goldberg, 2014).</summary>
    CosMul,
}
